/// The configuration with defaults filled in, references resolved and secrets read: what
/// ``ConfigApplier`` writes. Only built from a file without errors.
struct ResolvedConfiguration: Sendable {
    struct Tenant: Sendable {
        var id: String
        var name: String
        var defaultCountryCode: String
        var defaultCountry: String
        var allowedOrigins: [String]
        /// `host=parameter` pairs.
        var checkoutHosts: [String]
        var attributionWindowDays: Int
        var saleConsent: SaleConsentPolicy
        /// The retention periods the file sets (the rest follow the defaults).
        var retention: [RetentionPolicy.Field: Int]
        var pixels: [Pixel]
        var links: [Link]
        var accounts: [Account]
    }

    struct Pixel: Sendable {
        var id: String
        var token: String
        var mode: PixelMode
        var testEventCode: String?
        var maxEventsPerSecond: Int
        var batchSize: Int
        var sendClickAsPageview: Bool
        /// `/track` event → Meta event name.
        var eventNames: [String: String]
        var isDefault: Bool
    }

    struct Link: Sendable {
        var slug: String
        /// Explicit, or the tenant's default pixel; nil when the tenant has no pixel.
        var pixel: String?
        var destination: LinkDestination
    }

    struct Account: Sendable {
        var gateway: Gateway
        var account: String
        var pixel: String?
        var secrets: [String]
        var apiToken: String?
        var settings: ConfigValue
    }

    var tenants: [Tenant]
}
