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
        /// `/track` event names this pixel sends (empty = all).
        public var events: Set<String>

        public init(id: String, tenant: String, accessToken: String, mode: Mode, testEventCode: String? = nil,
                    maxEventsPerSecond: Int = 1000, batchSize: Int = 500, sendClickAsPageView: Bool = false,
                    events: Set<String> = []) {
            self.id = id; self.tenant = tenant; self.accessToken = accessToken; self.mode = mode
            self.testEventCode = testEventCode; self.maxEventsPerSecond = maxEventsPerSecond
            self.batchSize = batchSize; self.sendClickAsPageView = sendClickAsPageView; self.events = events
        }

        public func wants(_ trackEvent: String) -> Bool { events.isEmpty || events.contains(trackEvent) }
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

    public var pixels: [String: Pixel]
    public var tenants: [String: Tenant]

    public init(pixels: [String: Pixel], tenants: [String: Tenant]) {
        self.pixels = pixels
        self.tenants = tenants
    }

    /// The pixel for an event of `tenant`, preferring the link's pixel.
    public func pixel(tenant: String, preferred: String?) -> Pixel? {
        if let preferred, let p = pixels[preferred] { return p }
        guard let id = tenants[tenant]?.defaultPixel else { return nil }
        return pixels[id]
    }

    public var description: String {
        "DispatchRuntimeConfig(tenants: \(tenants.count), pixels: \(pixels.keys.sorted()))"
    }
}
