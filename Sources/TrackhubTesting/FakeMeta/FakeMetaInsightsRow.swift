/// One seeded insights row: one object of one level on one day. Metrics are written as Meta
/// writes them, strings (`spend: "123.45"`).
public struct FakeMetaInsightsRow: Sendable, Equatable {
    public enum Level: String, Sendable, CaseIterable { case campaign, adset, ad }

    public var level: Level
    public var day: String
    public var campaignID: String
    public var campaignName: String
    public var adsetID: String
    public var adsetName: String
    public var adID: String
    public var adName: String
    public var spend: String
    public var impressions: String
    public var clicks: String

    public init(level: Level, day: String, campaignID: String, campaignName: String = "", adsetID: String = "", adsetName: String = "",
                adID: String = "", adName: String = "", spend: String, impressions: String = "0", clicks: String = "0") {
        self.level = level; self.day = day; self.campaignID = campaignID; self.campaignName = campaignName
        self.adsetID = adsetID; self.adsetName = adsetName; self.adID = adID; self.adName = adName
        self.spend = spend; self.impressions = impressions; self.clicks = clicks
    }

    /// The id of this row's object at its level.
    var objectID: String {
        switch level {
        case .campaign: campaignID
        case .adset: adsetID
        case .ad: adID
        }
    }
}
