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

    /// Why a given value of `key` ends up dropped: what the policy needed and did not find.
    /// Says nothing about the value itself (the ledger note must never hold personal data).
    public static func reason(_ key: HashedUserData.Key) -> String {
        switch key {
        case .em: "not an e-mail address (name@domain.tld) nor a SHA-256 hex"
        case .ph: "not a phone number of the buyer's country, nor one with a country code (ambiguous numbers are not guessed)"
        case .fn, .ln, .ct: "no letters left after normalization"
        case .st: "not a state or region code of the buyer's country"
        case .zp: "not a postal code of the buyer's country"
        case .country: "not an ISO 3166 country"
        case .db: "not a valid date of birth"
        case .ge: "not f or m"
        case .externalId: "empty after normalization"
        }
    }

    /// The ledger note of `keys` (``LedgerEntry/userDataDropped``): a JSON array of
    /// `{"field","reason"}` in Meta's key names, nil when nothing was dropped.
    public static func ledgerNote(_ keys: [HashedUserData.Key]) -> String? {
        guard !keys.isEmpty else { return nil }
        var w = JSONWriter(profile: .stored, capacity: 96 * keys.count)
        w.beginArray()
        for key in keys { w.object(["field": key.rawValue, "reason": reason(key)]) }
        w.endArray()
        return w.text
    }

    /// Counts each dropped key in `trackhub_user_data_dropped_total{field, source}`.
    /// Returns the dropped keys, for the ledger note.
    @discardableResult
    public static func count(_ raw: RawUserData, _ hashed: HashedUserData, source: Source) -> [HashedUserData.Key] {
        let keys = dropped(raw, hashed)
        for key in keys {
            Counter(label: "trackhub_user_data_dropped_total",
                    dimensions: [("field", key.rawValue), ("source", source.rawValue)]).increment()
        }
        return keys
    }
}
