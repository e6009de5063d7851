import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import TrackhubCore

/// Resolved ingestd configuration (see `IngestSettingSpecs` for the documented defaults).
struct IngestConfiguration: Sendable {
    var host: String
    var port: Int
    var redis: RedisEndpoint
    var layout: StreamLayout
    var spoolDirectory: String
    var masterKeyFile: String
    var trustedProxies: [String]
    var maxBodyBytes: Int
    var maxWebhookBytes: Int
    var snapshotPoll: Duration
    var stripeTolerance: Int
    var cookieDomain: String?
    var cookieSecure: Bool
    var logLevel: Logger.Level

    init(_ s: SettingsResolver) throws {
        typealias S = IngestSettingSpecs
        host = try s.required(S.host)
        port = try s.int(S.port, in: 0...65535)
        redis = try s.redisEndpoint(S.redisURL)
        let prefix = try s.required(S.streamPrefix)
        guard prefix.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw SettingError(setting: S.streamPrefix, reason: "only letters, digits, _ and - are allowed")
        }
        layout = StreamLayout(prefix: prefix)
        spoolDirectory = try s.required(S.spoolDir)
        masterKeyFile = try s.required(S.masterKeyFile)
        trustedProxies = s.list(S.trustedProxies)
        if ClientIPResolver(trustedProxies: trustedProxies) == nil {
            throw SettingError(setting: S.trustedProxies, reason: "every entry must be an IP or CIDR")
        }
        maxBodyBytes = try s.int(S.maxBodyBytes, in: 1024...(16 << 20))
        maxWebhookBytes = try s.int(S.maxWebhookBytes, in: 1024...(16 << 20))
        snapshotPoll = try s.milliseconds(S.snapshotPollMs, in: 50...60_000)
        stripeTolerance = try s.int(S.stripeToleranceSeconds, in: 1...86_400)
        cookieDomain = s.string(S.cookieDomain).flatMap { $0.isEmpty ? nil : $0 }
        cookieSecure = try s.bool(S.cookieSecure)
        guard let level = Logger.Level(rawValue: try s.required(S.logLevel)) else {
            throw SettingError(setting: S.logLevel, reason: "must be one of trace, debug, info, notice, warning, error, critical")
        }
        logLevel = level
    }
}

/// What ingestd's routes talk to, and the long-lived services behind it.
///
/// The seam between the HTTP edge and Redis: the executable passes ``live(_:keys:logger:)``;
/// in-process tests pass an in-memory sink and a fixed snapshot with no services.
struct IngestBackends: Sendable {
    /// Where accepted envelopes are made durable before the answer.
    var sink: any EnvelopeSink
    /// The configuration in force (links, tenants, gateway accounts).
    var snapshots: any SnapshotSource
    /// Dependency-first: started before the HTTP server, stopped after it, in reverse order.
    var services: [any Service]

    /// Redis and the local spool: the snapshot poller's Redis client (a thread of its own),
    /// the durable appender (the single writer), and the snapshot poller.
    static func live(_ config: IngestConfiguration, keys: KeyRing, logger: Logger) throws -> IngestBackends {
        let appender: DurableAppender
        do {
            appender = try DurableAppender(endpoint: config.redis, spoolDirectory: config.spoolDirectory,
                                           drainBudget: IngestLifecycle.spoolDrainBudget, logger: logger)
        } catch {
            throw SettingError(setting: IngestSettingSpecs.spoolDir, reason: "\(error)")
        }
        let redis = RedisClient(endpoint: config.redis)
        let snapshots = SnapshotHolder(layout: config.layout, redis: redis, keys: keys,
                                       cachePath: config.spoolDirectory + "/snapshot.json",
                                       interval: config.snapshotPoll, logger: logger)
        return IngestBackends(sink: appender, snapshots: snapshots, services: [redis, appender, snapshots])
    }
}

/// The composition root of the executable: loads the key ring, builds the live backends
/// (Redis, spool) and the application around them.
func buildIngestApplication(
    _ config: IngestConfiguration, registry: PrometheusCollectorRegistry, logger: Logger
) throws -> some ApplicationProtocol {
    let keys: KeyRing
    do { keys = try KeyRing.load(path: config.masterKeyFile) } catch {
        throw SettingError(setting: IngestSettingSpecs.masterKeyFile, reason: "\(error)")
    }
    return buildIngestApplication(config, keys: keys, backends: try .live(config, keys: keys, logger: logger),
                                  registry: registry, logger: logger)
}

/// Builds the whole ingestd application — routes, middleware, services — over `backends`.
/// The executable and the in-process tests (`app.test(.router)`) both call this.
func buildIngestApplication(
    _ config: IngestConfiguration, keys: KeyRing, backends: IngestBackends,
    registry: PrometheusCollectorRegistry, logger: Logger
) -> some ApplicationProtocol {
    let deps = IngestDependencies(
        sink: backends.sink, snapshots: backends.snapshots, layout: config.layout, keys: keys,
        trustedProxies: ClientIPResolver(trustedProxies: config.trustedProxies)!,
        maxBodyBytes: config.maxBodyBytes, maxWebhookBytes: config.maxWebhookBytes,
        stripeTolerance: TimeInterval(config.stripeTolerance),
        cookieDomain: config.cookieDomain, cookieSecure: config.cookieSecure, logger: logger)

    let router = Router(context: IngestRequestContext.self)
    router.middlewares.add(MetricsMiddleware())
    let go = GoRoute(deps: deps)
    let track = TrackRoute(deps: deps)
    let webhook = WebhookRoute(deps: deps)
    let health = HealthRoutes(deps: deps, registry: registry)
    router.get("/go/:slug", use: go.handle)
    router.post("/track/:event", use: track.handle)
    router.on("/track/:event", method: .options, use: track.preflight)
    router.post("/webhooks/:gateway/:account", use: webhook.handle)
    router.get("/t.js", use: TrackingScript.handle)
    router.get("/healthz", use: health.healthz)
    router.get("/readyz", use: health.readyz)
    router.get("/metrics", use: health.metrics)

    let listening = Latch()
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: nil),
        onServerRunning: { channel in
            // The test harness and scripts read the bound port from this line (port 0 = any).
            logger.notice("ingestd listening", metadata: ["port": "\(channel.localAddress?.port ?? -1)"])
            listening.set()
        },
        logger: logger
    )
    // Hummingbird runs these before its HTTP server and stops them after it, in reverse: the
    // systemd notifier (last) stops right after the server, so STOPPING=1 precedes the spool
    // drain, and the Redis client (first) stops after everything that uses it.
    app.addServices(backends.services)
    app.addServices(ingestSystemdService(deps: deps, listening: listening, eventLoops: app.eventLoopGroup, logger: logger))
    return app
}
