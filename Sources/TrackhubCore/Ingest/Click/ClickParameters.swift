/// What a click keeps of its request's query string: bounded, so one request cannot become a
/// 57 KB stream entry and `jsonb` value (issue 14: 110 `utm_*` parameters did).
///
/// Kept, in this order of priority, while the bytes charged stay within ``Limits/totalBytes``:
/// the click ids (`fbclid`, `gclid`, `ttclid`), the documented `utm_*` names
/// (``DestinationURLBuilder/passthroughParameters``), then at most ``Limits/extraNames`` other
/// `utm_*` names — each in the order they came, the first non-empty occurrence of a name, each
/// value cut to ``Limits/valueBytes``, names of at most ``maxNameBytes``. A documented name is
/// charged twice (its percent-encoded copy goes into the redirect's `Location` and the
/// envelope's destination), so the budget bounds everything the query adds to an envelope.
/// What is kept is storable (``StorableText``); what does not fit is dropped and counted.
public struct ClickParameters: Sendable {
    public struct Limits: Sendable, Equatable {
        /// `utm_*` names kept beyond the documented six.
        public var extraNames: Int
        /// Bytes of kept names and values (see the type's documentation for what is charged).
        public var totalBytes: Int
        /// Bytes of one value; a longer one is cut at a scalar boundary.
        public var valueBytes: Int

        public init(extraNames: Int = 5, totalBytes: Int = 2048, valueBytes: Int = DestinationURLBuilder.maxPassthroughValueBytes) {
            self.extraNames = extraNames
            self.totalBytes = totalBytes
            self.valueBytes = valueBytes
        }
    }

    /// A `utm_*` name longer than this is not a campaign parameter.
    public static let maxNameBytes = 32
    /// The click ids kept, in their order of priority.
    public static let clickIDNames = ["fbclid", "gclid", "ttclid"]

    /// Kept `utm_*` names and values.
    public private(set) var utm: [String: String] = [:]
    /// The documented `utm_*` pairs kept, in request order: what the destination may carry.
    public private(set) var forwarded: [(String, String)] = []
    public private(set) var fbclid: String?
    public private(set) var gclid: String?
    public private(set) var ttclid: String?
    /// Parameters that were candidates (click ids, `utm_*`) but did not fit.
    public private(set) var dropped = 0
    /// Bytes charged against ``Limits/totalBytes``.
    public private(set) var charged = 0

    public init(query: [(String, String)], limits: Limits = Limits()) {
        var budget = limits.totalBytes
        func charge(_ bytes: Int) -> Bool {
            guard bytes <= budget else { return false }
            budget -= bytes
            charged += bytes
            return true
        }
        for id in Self.clickIDNames {
            guard let value = query.first(where: { $0.0 == id && !$0.1.isEmpty })?.1 else { continue }
            // A click id is kept whole or not at all: a cut one would match nothing.
            guard value.utf8.count <= limits.valueBytes, charge(id.utf8.count + value.utf8.count) else {
                dropped += 1
                continue
            }
            let kept = StorableText.storable(value)
            switch id {
            case "fbclid": fbclid = kept
            case "gclid": gclid = kept
            default: ttclid = kept
            }
        }
        var extras = 0
        for documented in [true, false] {
            for (name, value) in query where name.hasPrefix("utm_") && !value.isEmpty {
                let isDocumented = DestinationURLBuilder.passthroughIndex(name) != nil
                guard isDocumented == documented else { continue }
                let storableName = StorableText.storable(name)
                guard utm[storableName] == nil else { continue }  // a repeat: the first one counts
                guard name.utf8.count <= Self.maxNameBytes, documented || extras < limits.extraNames else {
                    dropped += 1
                    continue
                }
                let cut = String(value.utf8Prefix(limits.valueBytes))
                var cost = name.utf8.count + cut.utf8.count
                if documented { cost += name.utf8.count + 2 + Self.percentEncodedLength(cut) }
                guard charge(cost) else {
                    dropped += 1
                    continue
                }
                if !documented { extras += 1 }
                let kept = StorableText.storable(cut)
                utm[storableName] = kept
                if documented { forwarded.append((name, kept)) }
            }
        }
    }

    /// The length of `value` percent-encoded as a query component.
    static func percentEncodedLength(_ value: String) -> Int {
        value.utf8.reduce(0) { $0 + (PercentEncoding.isUnreserved($1) ? 1 : 3) }
    }
}
