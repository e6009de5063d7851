/// An ad account as the fake's insights endpoint serves it: its currency, which tokens may
/// read it (by ``FakeMeta/tokenFingerprint(_:)``; a token the fake knows that is not listed
/// gets the `#200` ads_read error), and its daily rows.
public struct FakeMetaAdAccount: Sendable, Equatable {
    public var currency: String
    public var readerFingerprints: Set<String>
    public var rows: [FakeMetaInsightsRow]

    public init(currency: String, readers: [String], rows: [FakeMetaInsightsRow]) {
        self.currency = currency
        self.readerFingerprints = Set(readers.map(FakeMeta.tokenFingerprint))
        self.rows = rows
    }

    /// The same with the readers given by fingerprint (what the control API receives).
    public init(currency: String, readerFingerprints: [String], rows: [FakeMetaInsightsRow]) {
        self.currency = currency
        self.readerFingerprints = Set(readerFingerprints.map { $0.lowercased() })
        self.rows = rows
    }
}
