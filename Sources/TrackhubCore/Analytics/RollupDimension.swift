/// A dimension a breakdown groups by: one column of `analytics_hourly` (the raw value is the
/// column's name, so a closed enum is all that ever reaches the SQL text).
public enum RollupDimension: String, Sendable, CaseIterable {
    case link
    case utmSource = "utm_source"
    case utmMedium = "utm_medium"
    case utmCampaign = "utm_campaign"
    case utmContent = "utm_content"
    case gateway
    case product
}
