extension TrackhubConfigFile {
    public struct Tenant: Codable, Sendable, Equatable {
        /// `[a-z0-9_-]{1,64}`; what `/track` bodies name in `tenant`.
        public var id: String
        /// A human name; defaults to the id.
        public var name: String?
        /// Country calling code added to phones written without one (digits; default `55`).
        public var defaultCountryCode: String?
        /// ISO 3166-1 alpha-2 country assumed for addresses without one (default `br`).
        public var defaultCountry: String?
        /// Landing-page origins allowed to call `/track` from a browser (`https://shop.example`).
        public var allowedOrigins: [String]
        /// The tenant's own checkout hosts `/t.js?t=<tenant>` decorates, besides the known gateways.
        public var checkoutHosts: [CheckoutHost]?
        /// Days `/t.js` keeps a click id in the browser (default 30).
        public var attributionWindowDays: Int?
        /// `honor_decline` (default) or `require_grant` (``SaleConsentPolicy``).
        public var saleConsent: String?
        /// Retention periods in days by name (`touchpoint_days: 90`, ``RetentionPolicy/Field``);
        /// unset ones take the documented defaults.
        public var retention: [String: Int]?
        public var pixels: [Pixel]
        public var links: [Link]
        public var gatewayAccounts: [GatewayAccount]
        public var unknownKeys: [String]

        public init(
            id: String, name: String? = nil, defaultCountryCode: String? = nil, defaultCountry: String? = nil,
            allowedOrigins: [String] = [], pixels: [Pixel] = [], links: [Link] = [], gatewayAccounts: [GatewayAccount] = []
        ) {
            self.id = id
            self.name = name
            self.defaultCountryCode = defaultCountryCode
            self.defaultCountry = defaultCountry
            self.allowedOrigins = allowedOrigins
            self.pixels = pixels
            self.links = links
            self.gatewayAccounts = gatewayAccounts
            self.unknownKeys = []
        }

        /// A checkout on the seller's own domain and the query parameter its platform hands back
        /// in the webhook (where the click id goes).
        public struct CheckoutHost: Codable, Sendable, Equatable {
            public var host: String
            public var parameter: String
            public init(host: String, parameter: String) { self.host = host; self.parameter = parameter }
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, name
            case defaultCountryCode = "default_country_code"
            case defaultCountry = "default_country"
            case allowedOrigins = "allowed_origins"
            case checkoutHosts = "checkout_hosts"
            case attributionWindowDays = "attribution_window_days"
            case saleConsent = "sale_consent"
            case retention
            case pixels, links
            case gatewayAccounts = "gateway_accounts"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeText(.id) ?? ""
            name = try c.decodeText(.name)
            defaultCountryCode = try c.decodeText(.defaultCountryCode)
            defaultCountry = try c.decodeText(.defaultCountry)
            allowedOrigins = try c.decodeIfPresent([String].self, forKey: .allowedOrigins) ?? []
            checkoutHosts = try c.decodeIfPresent([CheckoutHost].self, forKey: .checkoutHosts)
            attributionWindowDays = try c.decodeIfPresent(Int.self, forKey: .attributionWindowDays)
            saleConsent = try c.decodeText(.saleConsent)
            retention = try c.decodeIfPresent([String: Int].self, forKey: .retention)
            pixels = try c.decodeIfPresent([Pixel].self, forKey: .pixels) ?? []
            links = try c.decodeIfPresent([Link].self, forKey: .links) ?? []
            gatewayAccounts = try c.decodeIfPresent([GatewayAccount].self, forKey: .gatewayAccounts) ?? []
            unknownKeys = try decoder.unknownKeys(CodingKeys.self)
        }
    }
}
