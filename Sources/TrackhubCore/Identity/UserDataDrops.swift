import Metrics

/// The identifier policy's bookkeeping (docs/NORMALIZATION.md, "One policy for every
/// identifier"): a value that cannot be normalized drops that key only, the event is kept, and
/// the drop is counted so a seller whose checkout sends broken e-mails or phones can be told.
///
/// Pure: which keys were given but produced nothing. Counting is a separate, tiny shell.
public enum UserDataDrops {
    /// Where the identifiers came from, a metric dimension.
    public enum Source: String, Sendable {
        /// A `/track` call (browser or server).
        case track
        /// A gateway webhook's buyer.
        case sale
    }

    /// Keys that `raw` gave a non-blank value for and `hashed` has none of: the values the
    /// policy dropped as invalid. `country` counts only when given explicitly (a defaulted
    /// country is not a drop).
    public static func dropped(_ raw: RawUserData, _ hashed: HashedUserData) -> [HashedUserData.Key] {
        let given: [(HashedUserData.Key, String?)] = [
            (.em, raw.email), (.ph, raw.phone), (.fn, raw.firstName), (.ln, raw.lastName), (.ct, raw.city),
            (.st, raw.state), (.zp, raw.zip), (.country, raw.country), (.db, raw.dateOfBirth), (.ge, raw.gender),
            (.externalId, raw.externalId),
        ]
        return given.compactMap { key, value in
            guard let value, !value.allSatisfy(\.isWhitespace), hashed[key].isEmpty else { return nil }
            return key
        }
    }

    /// Counts each dropped key in `trackhub_user_data_dropped_total{field, source}`.
    public static func count(_ raw: RawUserData, _ hashed: HashedUserData, source: Source) {
        for key in dropped(raw, hashed) {
            Counter(label: "trackhub_user_data_dropped_total",
                    dimensions: [("field", key.rawValue), ("source", source.rawValue)]).increment()
        }
    }
}
