public import Foundation

/// The dimensions of one rollup row: tenant × UTC hour × link × UTMs × gateway × product.
/// An empty string means "none" (a page event has no link, a click no gateway).
public struct RollupKey: Sendable, Hashable {
    public var tenant: String
    public var hour: Date
    public var link: String
    public var utmSource: String
    public var utmMedium: String
    public var utmCampaign: String
    public var utmContent: String
    public var gateway: String
    public var product: String

    public init(tenant: String, hour: Date, link: String = "", utmSource: String = "", utmMedium: String = "",
                utmCampaign: String = "", utmContent: String = "", gateway: String = "", product: String = "") {
        self.tenant = tenant; self.hour = hour; self.link = link; self.utmSource = utmSource; self.utmMedium = utmMedium
        self.utmCampaign = utmCampaign; self.utmContent = utmContent; self.gateway = gateway; self.product = product
    }
}
