public import TrackhubCore

/// What `dispatchd console` needs to serve: where it listens, how browsers reach it, where
/// ingestd is (for the URLs a seller copies), where Graph is, and how long a login lasts.
/// Read from the dispatchd settings table (``DispatchSettings/console``).
public struct ConsoleConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The console's address as browsers reach it (behind the reverse proxy); nil: `http://host:port`.
    public var publicURL: String?
    /// ingestd's public address: webhook URLs and tracking links are shown under it.
    public var ingestURL: String
    /// A folder replacing the built-in templates, strings and static files; nil: built in.
    public var resourcesDirectory: String?
    public var sessionLifetimeSeconds: Int
    public var graphBaseURL: String
    public var graphVersion: String
    /// The Telegram Bot API (the alerts' setting: the Alertas page sends through the same bot API).
    public var telegramBaseURL: String
    /// The Redis the workers use (live status, pauses, and where a replayed dead letter is scheduled).
    public var redis: RedisEndpoint
    /// The workers' stream and key prefix (`TRACKHUB_STREAM_PREFIX`).
    public var streamPrefix: String
    /// What the landing-page check (setup step 5) may fetch; loopback only when
    /// `TRACKHUB_CONSOLE_ALLOW_LOOPBACK` says so (tests), which also lets step 4 link to it.
    public var pageFetch: PageFetchPolicy
    /// How long Privacidade's erasure waits for the workers to process what the streams held when
    /// it started (`dispatchd privacy erase` waits 5 minutes; a browser request should not).
    public var privacyDrainTimeout: Duration = .seconds(30)

    public init(host: String = "127.0.0.1", port: Int = 8090, publicURL: String? = nil,
                ingestURL: String = "http://127.0.0.1:8080", resourcesDirectory: String? = nil,
                sessionLifetimeSeconds: Int = 12 * 3600, graphBaseURL: String = "https://graph.facebook.com",
                graphVersion: String = "v25.0", redis: RedisEndpoint = RedisEndpoint(url: "redis://127.0.0.1:6379/0")!,
                streamPrefix: String = "th", pageFetch: PageFetchPolicy = PageFetchPolicy(),
                telegramBaseURL: String = "https://api.telegram.org") {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.ingestURL = ingestURL
        self.resourcesDirectory = resourcesDirectory
        self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.graphBaseURL = graphBaseURL
        self.graphVersion = graphVersion
        self.redis = redis
        self.streamPrefix = streamPrefix
        self.pageFetch = pageFetch
        self.telegramBaseURL = telegramBaseURL
    }

    /// Reads the console's settings (flags, `TRACKHUB_*` variables, the settings file).
    public init(_ settings: SettingsResolver) throws {
        typealias S = DispatchSettings
        self.init(
            host: try settings.text(S.consoleHost), port: try settings.int(S.consolePort),
            publicURL: try settings.optionalText(S.consolePublicURL), ingestURL: try settings.url(S.consoleIngestURL),
            resourcesDirectory: try settings.optionalText(S.consoleResources),
            sessionLifetimeSeconds: try settings.int(S.consoleSessionHours) * 3600,
            graphBaseURL: try settings.outboundURL(S.graphBaseURL, allowLoopbackHTTP: try settings.bool(S.allowLoopbackHTTP)),
            graphVersion: try settings.text(S.graphVersion), redis: try settings.redisEndpoint(SharedSettings.redisURL),
            streamPrefix: try settings.text(SharedSettings.streamPrefix),
            pageFetch: PageFetchPolicy(allowLoopback: try settings.bool(S.consoleAllowLoopback)),
            telegramBaseURL: try settings.outboundURL(S.alertTelegramBaseURL, allowLoopbackHTTP: try settings.bool(S.allowLoopbackHTTP)))
    }

    /// Cookies carry `Secure` only when browsers reach the console over https (a `Secure` cookie
    /// sent over plain http on loopback would never come back, and nobody could log in).
    public var secureCookies: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }

    /// The address printed at start and written to `.run/env`.
    public func browserURL(boundPort: Int) -> String {
        if let publicURL, !publicURL.isEmpty { return publicURL }
        return "http://\(host):\(boundPort)"
    }
}
