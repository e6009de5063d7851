extension DispatchConfig {
    /// One store: its default pixel, how its buyers' phones and addresses are completed, and the
    /// landing pages allowed to call `/track` from a browser.
    public struct Tenant: Sendable, Equatable, CustomStringConvertible {
        public var id: String
        public var name: String
        /// The pixel for links and accounts that name none; nil when the tenant has no pixel.
        public var defaultPixel: String?
        /// The country calling code for phones written without one (`55`).
        public var defaultCountryCallingCode: String
        /// The ISO 3166-1 alpha-2 country for addresses without one (`br`).
        public var defaultCountry: String
        /// Landing-page origins allowed to call `/track` from a browser (CORS).
        public var allowedOrigins: [String]
        /// The tenant's own checkout hosts for `/t.js`, as `host=parameter` pairs.
        public var checkoutHosts: [String]
        /// Days `/t.js` keeps a click id in the browser.
        public var attributionWindowDays: Int
        /// Whether its sales reach Meta without, or only with, a consent signal (``SaleConsent``).
        public var saleConsent: SaleConsentPolicy

        public init(id: String, name: String? = nil, defaultPixel: String?, defaultCountryCallingCode: String = "55",
                    defaultCountry: String = "br", allowedOrigins: [String] = [], checkoutHosts: [String] = [],
                    attributionWindowDays: Int = 30, saleConsent: SaleConsentPolicy = .default) {
            self.saleConsent = saleConsent
            self.checkoutHosts = checkoutHosts
            self.attributionWindowDays = attributionWindowDays
            self.id = id
            self.name = name ?? id
            self.defaultPixel = defaultPixel
            self.defaultCountryCallingCode = defaultCountryCallingCode
            self.defaultCountry = defaultCountry
            self.allowedOrigins = allowedOrigins
        }

        public var description: String {
            "Tenant(\(id), default pixel: \(defaultPixel ?? "none"), country: \(defaultCountry)/+\(defaultCountryCallingCode))"
        }
    }
}
