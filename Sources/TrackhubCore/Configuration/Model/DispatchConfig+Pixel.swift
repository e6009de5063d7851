extension DispatchConfig {
    /// A Meta pixel (dataset): where its events go, how, and which page events it forwards.
    public struct Pixel: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        public var id: String
        public var tenant: String
        /// The opened Conversions API access token, in memory only; empty when none is stored or
        /// it cannot be opened (see ``tokenProblem``). Never log it.
        public var accessToken: String
        /// Why ``accessToken`` is empty, when it is (no key for it, tampered…); no secret inside.
        public var tokenProblem: String?
        public var mode: PixelMode
        public var testEventCode: String?
        public var maxEventsPerSecond: Int
        public var batchSize: Int
        /// A click on a tracking link becomes a `PageView` for this pixel.
        public var sendClickAsPageView: Bool
        /// `/track` event → Meta event name, for exactly the events this pixel forwards
        /// (``PixelEventCatalog/ownName`` for `custom`: the page's own name). A file that omits
        /// `events` is stored with every event listed, so an empty map forwards nothing.
        public var eventNames: [String: String]
        public var isDefault: Bool
        /// Why the pixel is paused in Postgres (token rejected…), if it is.
        public var pausedReason: String?

        public init(
            id: String, tenant: String, accessToken: String?, tokenProblem: String? = nil, mode: PixelMode,
            testEventCode: String? = nil, maxEventsPerSecond: Int = 1000, batchSize: Int = 500,
            sendClickAsPageView: Bool = false, eventNames: [String: String] = PixelEventCatalog.metaNames,
            isDefault: Bool = false, pausedReason: String? = nil
        ) {
            self.id = id
            self.tenant = tenant
            self.accessToken = accessToken ?? ""
            self.tokenProblem = tokenProblem
            self.mode = mode
            self.testEventCode = testEventCode
            self.maxEventsPerSecond = maxEventsPerSecond
            self.batchSize = batchSize
            self.sendClickAsPageView = sendClickAsPageView
            self.eventNames = eventNames
            self.isDefault = isDefault
            self.pausedReason = pausedReason
        }

        /// The `/track` events this pixel forwards.
        public var events: Set<String> { Set(eventNames.keys) }

        /// Whether a `/track` event of this kind becomes a CAPI event for this pixel: only the
        /// events listed in ``eventNames`` (the one forwarding rule; see docs/CONFIGURATION.md).
        public func forwards(_ trackEvent: String) -> Bool { eventNames[trackEvent] != nil }

        /// The Meta event name for a forwarded `/track` event; nil when the pixel does not
        /// forward it, or when it keeps the name the page gave it (`custom`).
        public func configuredName(_ trackEvent: String) -> String? {
            guard let name = eventNames[trackEvent], name != PixelEventCatalog.ownName else { return nil }
            return name
        }

        public var description: String {
            var text = "Pixel(\(id), tenant: \(tenant), mode: \(mode.rawValue), token: \(accessToken.isEmpty ? "missing" : "<redacted>")"
            if let testEventCode { text += ", test_event_code: \(testEventCode)" }
            text += ", max_events_per_second: \(maxEventsPerSecond), batch_size: \(batchSize)"
            text += ", click_as_pageview: \(sendClickAsPageView), events: \(eventNames.keys.sorted().joined(separator: "|"))"
            if let pausedReason { text += ", paused: \(pausedReason)" }
            return text + ")"
        }

        public var debugDescription: String { description }
        public var customMirror: Mirror { Mirror(self, children: ["summary": description]) }
    }
}
