/// One level of one account to replace: the days cleared and the rows written in their place.
public struct AdSpendReplacement: Sendable, Equatable {
    public var account: String
    public var level: AdSpendStore.Level
    public var days: [String]
    public var rows: [AdInsightsRow]
}
