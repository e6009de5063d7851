extension DispatchConfig {
    /// A payment-gateway account whose webhooks Trackhub receives (`/webhooks/{gateway}/{account}`).
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
        /// The webhook secrets, still sealed (only ingestd opens them); nil when the stored list
        /// cannot be read (``SnapshotCompiler`` refuses to publish it).
        public var webhookSecrets: [Sealed]?

        public init(gateway: Gateway, account: String, tenant: String, pixel: String?, settings: [String: ConfigValue] = [:],
                    apiToken: String? = nil, apiTokenProblem: String? = nil, webhookSecrets: [Sealed]? = []) {
            self.gateway = gateway
            self.account = account
            self.tenant = tenant
            self.pixel = pixel
            self.settings = settings
            self.apiToken = apiToken
            self.apiTokenProblem = apiTokenProblem
            self.webhookSecrets = webhookSecrets
        }

        /// `gateway/account`, the key of ``DispatchConfig/gatewayAccounts``.
        public var key: String { Self.key(gateway: gateway.rawValue, account: account) }

        public static func key(gateway: String, account: String) -> String { gateway + "/" + account }

        /// A setting as text (`pending_event: PaymentPending`), or nil.
        public func setting(_ name: String) -> String? { settings[name]?.stringValue }

        public var description: String {
            "GatewayAccount(\(key), tenant: \(tenant), pixel: \(pixel ?? "none"), settings: \(settings.keys.sorted().joined(separator: "|")), "
                + "api token: \(apiToken == nil ? "none" : "<redacted>"))"
        }

        public var debugDescription: String { description }
        public var customMirror: Mirror { Mirror(self, children: ["summary": description]) }
    }
}
