/// The configuration dispatchd works from, read from Postgres with secrets opened:
/// per pixel its token, mode and limits; per tenant its default pixel; per link and gateway
/// account the pixel their events go to.
///
/// Holds access tokens in clear, so every description of it — `description`,
/// `debugDescription`, `dump` — is redacted: it can be logged whole.
public struct DispatchConfig: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public struct Pixel: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        public var id: String
        public var tenant: String
        /// The opened access token; nil when none is stored or it cannot be opened (see
        /// ``tokenProblem``). Never log it.
        public var accessToken: String?
        /// Why ``accessToken`` is nil, when it is (no key for it, tampered…); no secret inside.
        public var tokenProblem: String?
        public var mode: PixelMode
        public var testEventCode: String?
        public var maxEventsPerSecond: Int
        public var batchSize: Int
        public var sendClickAsPageview: Bool
        /// `/track` event → Meta event name, for the events this pixel forwards
        /// (``PixelEventCatalog/ownName`` for `custom`: the page's own name).
        public var eventNames: [String: String]
        public var isDefault: Bool
        /// Why the pixel is paused in Postgres (token rejected…), if it is.
        public var pausedReason: String?
        /// The tenant's country calling code for phones written without one (`55`).
        public var defaultCountryCode: String
        /// The tenant's ISO 3166-1 alpha-2 country for addresses without one (`br`).
        public var defaultCountry: String

        /// The `/track` events this pixel forwards.
        public var events: Set<String> { Set(eventNames.keys) }

        /// Whether a `/track` event of this kind becomes a CAPI event for this pixel.
        public func forwards(_ event: String) -> Bool { eventNames[event] != nil }

        /// The Meta event name for a `/track` event, or nil if this pixel does not forward it.
        public func metaEventName(for event: String) -> String? { eventNames[event] }

        public var description: String {
            var text = "Pixel(\(id), tenant: \(tenant), mode: \(mode.rawValue), token: \(accessToken == nil ? "missing" : "<redacted>")"
            if let testEventCode { text += ", test_event_code: \(testEventCode)" }
            text += ", max_events_per_second: \(maxEventsPerSecond), batch_size: \(batchSize)"
            text += ", click_as_pageview: \(sendClickAsPageview), events: \(eventNames.keys.sorted().joined(separator: "|"))"
            if let pausedReason { text += ", paused: \(pausedReason)" }
            return text + ")"
        }

        public var debugDescription: String { description }
        public var customMirror: Mirror { Mirror(self, children: ["summary": description]) }
    }

    public struct Tenant: Sendable, Equatable, CustomStringConvertible {
        public var id: String
        public var name: String
        /// The pixel for links and accounts that name none; nil when the tenant has no pixel.
        public var defaultPixel: String?
        public var defaultCountryCode: String
        public var defaultCountry: String

        public var description: String {
            "Tenant(\(id), default pixel: \(defaultPixel ?? "none"), country: \(defaultCountry)/+\(defaultCountryCode))"
        }
    }

    public struct Link: Sendable, Equatable, CustomStringConvertible {
        public var slug: String
        public var tenant: String
        /// The link's pixel, or its tenant's default.
        public var pixel: String?
        /// False once the configuration stopped listing it (clicks in flight still resolve).
        public var active: Bool

        public var description: String { "Link(\(slug), tenant: \(tenant), pixel: \(pixel ?? "none")\(active ? "" : ", inactive"))" }
    }

    public struct GatewayAccount: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        public var gateway: Gateway
        public var account: String
        public var tenant: String
        /// The account's pixel, or its tenant's default.
        public var pixel: String?
        /// The free-form `settings` map from the configuration file.
        public var settings: [String: ConfigValue]
        /// The opened API token (Mercado Pago's access token), if configured. Never log it.
        public var apiToken: String?
        /// Why ``apiToken`` is nil although one is stored; no secret inside.
        public var apiTokenProblem: String?

        public var key: String { gateway.rawValue + "/" + account }

        /// A setting as text (`pending_event: PaymentPending`), or nil.
        public func setting(_ name: String) -> String? { settings[name]?.stringValue }

        public var description: String {
            "GatewayAccount(\(key), tenant: \(tenant), pixel: \(pixel ?? "none"), settings: \(settings.keys.sorted().joined(separator: "|")), "
                + "api token: \(apiToken == nil ? "none" : "<redacted>"))"
        }

        public var debugDescription: String { description }
        public var customMirror: Mirror { Mirror(self, children: ["summary": description]) }
    }

    public var pixels: [String: Pixel]
    public var tenants: [String: Tenant]
    /// By slug, active and inactive.
    public var links: [String: Link]
    /// By `gateway/account`.
    public var gatewayAccounts: [String: GatewayAccount]

    public init(pixels: [String: Pixel], tenants: [String: Tenant], links: [String: Link], gatewayAccounts: [String: GatewayAccount]) {
        self.pixels = pixels
        self.tenants = tenants
        self.links = links
        self.gatewayAccounts = gatewayAccounts
    }

    // MARK: Look-ups

    public func pixel(_ id: String) -> Pixel? { pixels[id] }

    /// The pixel a click on `slug` is attributed to.
    public func pixel(forLink slug: String) -> Pixel? { links[slug]?.pixel.flatMap { pixels[$0] } }

    /// The tenant's default pixel.
    public func defaultPixel(tenant: String) -> Pixel? { tenants[tenant]?.defaultPixel.flatMap { pixels[$0] } }

    public func gatewayAccount(gateway: String, account: String) -> GatewayAccount? { gatewayAccounts[gateway + "/" + account] }

    /// The pixel a sale through this gateway account goes to.
    public func pixel(gateway: String, account: String) -> Pixel? {
        gatewayAccount(gateway: gateway, account: account)?.pixel.flatMap { pixels[$0] }
    }

    // MARK: Descriptions (redacted)

    public var description: String {
        "DispatchConfig(tenants: \(tenants.count), pixels: \(pixels.count), links: \(links.count), gateway accounts: \(gatewayAccounts.count); "
            + pixels.keys.sorted().compactMap { pixels[$0]?.description }.joined(separator: "; ") + ")"
    }

    public var debugDescription: String {
        ([description]
            + tenants.keys.sorted().compactMap { tenants[$0]?.description }
            + links.keys.sorted().compactMap { links[$0]?.description }
            + gatewayAccounts.keys.sorted().compactMap { gatewayAccounts[$0]?.description })
            .joined(separator: "\n")
    }

    public var customMirror: Mirror { Mirror(self, children: ["summary": description]) }
}
