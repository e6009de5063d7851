/// What a dispatchd worker needs to know about tenants and pixels, reloaded from Postgres
/// periodically (so `dispatchd apply` takes effect without a restart).
public struct DispatchRuntimeConfig: Sendable, CustomStringConvertible {
    public struct Pixel: Sendable, Equatable {
        public enum Mode: String, Sendable, Equatable {
            case live
            case test
            /// Build, validate and record the payload in the ledger without sending.
            case dryRun = "dry_run"
        }

        public var id: String
        public var tenant: String
        /// The Conversions API access token, opened in memory only; never logged.
        public var accessToken: String
        public var mode: Mode
        public var testEventCode: String?
        public var maxEventsPerSecond: Int
        public var batchSize: Int
        public var sendClickAsPageView: Bool
        /// `/track` event → Meta event name for the events this pixel forwards
        /// (`PixelEventCatalog.ownName` for `custom`: the page's own name). Empty = all, standard names.
        public var eventNames: [String: String]

        public init(id: String, tenant: String, accessToken: String?, mode: Mode, testEventCode: String? = nil,
                    maxEventsPerSecond: Int = 1000, batchSize: Int = 500, sendClickAsPageView: Bool = false,
                    eventNames: [String: String] = [:]) {
            self.id = id; self.tenant = tenant; self.accessToken = accessToken ?? ""; self.mode = mode
            self.testEventCode = testEventCode; self.maxEventsPerSecond = maxEventsPerSecond
            self.batchSize = batchSize; self.sendClickAsPageView = sendClickAsPageView; self.eventNames = eventNames
        }

        public func wants(_ trackEvent: String) -> Bool { eventNames.isEmpty || eventNames[trackEvent] != nil }

        /// The Meta event name configured for a `/track` event, when it is not the standard one.
        public func configuredName(_ trackEvent: String) -> String? {
            guard let name = eventNames[trackEvent], name != PixelEventCatalog.ownName else { return nil }
            return name
        }
    }

    public struct Tenant: Sendable, Equatable {
        public var id: String
        public var defaultPixel: String?
        public var defaultCountryCallingCode: String
        public var defaultCountry: String

        public init(id: String, defaultPixel: String?, defaultCountryCallingCode: String = "55", defaultCountry: String = "br") {
            self.id = id; self.defaultPixel = defaultPixel
            self.defaultCountryCallingCode = defaultCountryCallingCode; self.defaultCountry = defaultCountry
        }
    }

    /// A gateway account as the sales path needs it.
    public struct Account: Sendable, Equatable {
        public var gateway: String
        public var account: String
        public var tenant: String
        public var pixel: String?
        /// Mercado Pago's access token (to fetch the payment a notification names). Never logged.
        public var apiToken: String?
        /// Free-form settings (`approved_event`, `pending_event`, `refund_event`, `chargeback_event`).
        public var settings: [String: String]

        public init(gateway: String, account: String, tenant: String, pixel: String?, apiToken: String? = nil,
                    settings: [String: String] = [:]) {
            self.gateway = gateway; self.account = account; self.tenant = tenant; self.pixel = pixel
            self.apiToken = apiToken; self.settings = settings
        }
    }

    public var pixels: [String: Pixel]
    public var tenants: [String: Tenant]
    /// Keyed `gateway/account`.
    public var accounts: [String: Account]

    public init(pixels: [String: Pixel], tenants: [String: Tenant], accounts: [String: Account] = [:]) {
        self.pixels = pixels
        self.tenants = tenants
        self.accounts = accounts
    }

    /// The pixel for an event of `tenant`, preferring the link's pixel.
    public func pixel(tenant: String, preferred: String?) -> Pixel? {
        if let preferred, let p = pixels[preferred] { return p }
        guard let id = tenants[tenant]?.defaultPixel else { return nil }
        return pixels[id]
    }

    /// Adapts the configuration read from Postgres (``ConfigRepository``).
    public init(_ c: DispatchConfig) {
        var pixels: [String: Pixel] = [:]
        for (id, p) in c.pixels {
            let mode: Pixel.Mode
            switch p.mode {
            case .live: mode = .live
            case .test: mode = .test
            case .dryRun: mode = .dryRun
            }
            pixels[id] = Pixel(id: id, tenant: p.tenant, accessToken: p.accessToken, mode: mode, testEventCode: p.testEventCode,
                               maxEventsPerSecond: p.maxEventsPerSecond, batchSize: p.batchSize,
                               sendClickAsPageView: p.sendClickAsPageview, eventNames: p.eventNames)
        }
        var tenants: [String: Tenant] = [:]
        for (id, t) in c.tenants {
            tenants[id] = Tenant(id: id, defaultPixel: t.defaultPixel, defaultCountryCallingCode: t.defaultCountryCode,
                                 defaultCountry: t.defaultCountry)
        }
        var accounts: [String: Account] = [:]
        for (key, a) in c.gatewayAccounts {
            var settings: [String: String] = [:]
            for name in a.settings.keys { if let v = a.setting(name) { settings[name] = v } }
            accounts[key] = Account(gateway: a.gateway.rawValue, account: a.account, tenant: a.tenant, pixel: a.pixel,
                                    apiToken: a.apiToken, settings: settings)
        }
        self.init(pixels: pixels, tenants: tenants, accounts: accounts)
    }

    public var description: String {
        "DispatchRuntimeConfig(tenants: \(tenants.count), pixels: \(pixels.keys.sorted()))"
    }
}
