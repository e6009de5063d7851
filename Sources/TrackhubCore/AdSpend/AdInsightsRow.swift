public import Foundation

/// One row of Meta's insights with `time_increment=1`: what one campaign, ad set or ad spent on
/// one day of the ad account, in the account's currency. What ``AdSpendStore`` writes into
/// `ad_spend`; ``AdInsightsPage`` reads it from Graph's JSON.
public struct AdInsightsRow: Sendable, Equatable {
    /// `date_start` (= `date_stop` for a daily row): `YYYY-MM-DD`, a day of the ad account's time zone.
    public var day: String
    public var level: AdSpendStore.Level
    /// The id of the row's object at its level (the campaign id for a campaign row, …).
    public var objectID: String
    public var campaignID: String
    public var campaignName: String
    public var adsetID: String
    public var adsetName: String
    public var adID: String
    public var adName: String
    /// `account_currency` (ISO 4217, upper case).
    public var currency: String
    /// `spend`, exactly as Meta wrote it (a decimal string, never a Double).
    public var spend: Decimal
    public var impressions: Int64
    public var clicks: Int64

    public init(day: String, level: AdSpendStore.Level, objectID: String, campaignID: String = "", campaignName: String = "",
                adsetID: String = "", adsetName: String = "", adID: String = "", adName: String = "", currency: String,
                spend: Decimal, impressions: Int64 = 0, clicks: Int64 = 0) {
        self.day = day; self.level = level; self.objectID = objectID
        self.campaignID = campaignID; self.campaignName = campaignName
        self.adsetID = adsetID; self.adsetName = adsetName; self.adID = adID; self.adName = adName
        self.currency = currency; self.spend = spend; self.impressions = impressions; self.clicks = clicks
    }
}
