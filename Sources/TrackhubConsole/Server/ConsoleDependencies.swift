public import Logging
public import TrackhubCore

/// What every page handler may use: the store, the renderer, the settings, the key ring (tokens
/// are sealed before they are stored), the login throttle, and the logger. Built once by
/// ``buildConsoleApplication(_:store:keys:logger:pages:)`` and handed to each ``ConsolePage``.
public struct ConsoleDependencies: Sendable {
    public let configuration: ConsoleConfiguration
    public let store: ConsoleStore
    public let renderer: ConsoleRenderer
    public let keys: KeyRing
    public let throttle: LoginThrottle
    public let logger: Logger
    /// The ledger, failure queue, live status and troubleshooting readers (TrackhubCore/Insight).
    public let insight: PostgresInsightStore
    /// The setup assistant's Graph checks (the pixel read, the test event).
    public let graph: any SetupGraph
    /// Setup sessions, messages and action logs.
    public let setup: SetupStore
    /// Configuration changes: apply, publish, version, audit.
    public let writer: ConsoleConfigWriter
    /// ingestd's trace of each gateway account's last deliveries (step 3).
    let webhookTraces: WebhookTraceReader
    /// The landing-page check (step 5), under ``ConsoleConfiguration/pageFetch``.
    public let pageChecker: LandingPageChecker
    /// The Telegram Bot API, for the Alertas page's test message to a tenant's chat.
    public let telegram: any TelegramBotAPI
    /// Privacidade's requests: the same finder, export and eraser as `dispatchd privacy`.
    public let privacy: PersonalDataDesk
    /// Ajuda's conversation and the support cases opened from it.
    let helpDesk: HelpDeskStore

    public init(configuration: ConsoleConfiguration, store: ConsoleStore, renderer: ConsoleRenderer, keys: KeyRing,
                throttle: LoginThrottle, logger: Logger, insight: PostgresInsightStore, graph: any SetupGraph,
                pageFetcher: any PageFetcher, writer: ConsoleConfigWriter, telegram: any TelegramBotAPI) {
        self.graph = graph
        self.telegram = telegram
        self.privacy = PersonalDataDesk(postgres: store.pool, redis: configuration.redis, keys: keys,
                                        layout: StreamLayout(prefix: configuration.streamPrefix))
        self.pageChecker = LandingPageChecker(fetcher: pageFetcher, policy: configuration.pageFetch)
        self.setup = SetupStore(pool: store.pool)
        self.helpDesk = HelpDeskStore(pool: store.pool)
        self.writer = writer
        self.webhookTraces = WebhookTraceReader(pool: store.pool, redis: configuration.redis,
                                                layout: StreamLayout(prefix: configuration.streamPrefix))
        self.configuration = configuration
        self.store = store
        self.renderer = renderer
        self.keys = keys
        self.throttle = throttle
        self.logger = logger
        self.insight = insight
    }
}
