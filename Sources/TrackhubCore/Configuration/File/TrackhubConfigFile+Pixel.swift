extension TrackhubConfigFile {
    public struct Pixel: Codable, Sendable, Equatable {
        /// The Meta pixel (dataset) id: digits. Global: one pixel belongs to one tenant.
        public var id: String
        /// Environment variable holding the access token (exactly one of this and `tokenFile`).
        public var tokenEnv: String?
        /// File holding the access token (surrounding whitespace is ignored).
        public var tokenFile: String?
        /// `live`, `test` or `dry_run` (default `dry_run`).
        public var mode: String?
        /// Meta's test event code; required when `mode` is `test`.
        public var testEventCode: String?
        /// Throughput limit shared by every dispatchd instance (default 1000).
        public var maxEventsPerSecond: Int?
        /// Events per CAPI request, 1…1000 (default 500).
        public var batchSize: Int?
        /// Send each click on a tracking link as a PageView (default false).
        public var sendClickAsPageview: Bool?
        /// Which `/track` events this pixel forwards (see ``PixelEventCatalog``); nil = all.
        public var events: [String]?
        /// The tenant's default pixel (key `default`).
        public var isDefault: Bool?
        public var unknownKeys: [String]

        public init(
            id: String, tokenEnv: String? = nil, tokenFile: String? = nil, mode: String? = nil, testEventCode: String? = nil,
            maxEventsPerSecond: Int? = nil, batchSize: Int? = nil, sendClickAsPageview: Bool? = nil,
            events: [String]? = nil, isDefault: Bool? = nil
        ) {
            self.id = id
            self.tokenEnv = tokenEnv
            self.tokenFile = tokenFile
            self.mode = mode
            self.testEventCode = testEventCode
            self.maxEventsPerSecond = maxEventsPerSecond
            self.batchSize = batchSize
            self.sendClickAsPageview = sendClickAsPageview
            self.events = events
            self.isDefault = isDefault
            self.unknownKeys = []
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id
            case tokenEnv = "token_env"
            case tokenFile = "token_file"
            case mode
            case testEventCode = "test_event_code"
            case maxEventsPerSecond = "max_events_per_second"
            case batchSize = "batch_size"
            case sendClickAsPageview = "send_click_as_pageview"
            case events
            case isDefault = "default"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeText(.id) ?? ""
            tokenEnv = try c.decodeText(.tokenEnv)
            tokenFile = try c.decodeText(.tokenFile)
            mode = try c.decodeText(.mode)
            testEventCode = try c.decodeText(.testEventCode)
            maxEventsPerSecond = try c.decodeIfPresent(Int.self, forKey: .maxEventsPerSecond)
            batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize)
            sendClickAsPageview = try c.decodeIfPresent(Bool.self, forKey: .sendClickAsPageview)
            events = try c.decodeIfPresent([String].self, forKey: .events)
            isDefault = try c.decodeIfPresent(Bool.self, forKey: .isDefault)
            unknownKeys = try decoder.unknownKeys(CodingKeys.self)
        }
    }
}
