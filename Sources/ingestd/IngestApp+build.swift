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

/// The composition root: builds the whole ingestd application from its configuration.
/// Returns the app plus the pieces the executable starts/stops around it.
func buildIngestApplication(
    _ config: IngestConfiguration, registry: PrometheusCollectorRegistry, logger: Logger
) throws -> some ApplicationProtocol {
    let keys: KeyRing
    do { keys = try KeyRing.load(path: config.masterKeyFile) } catch {
        throw SettingError(setting: IngestSettingSpecs.masterKeyFile, reason: "\(error)")
    }
    let appender: DurableAppender
    do {
        appender = try DurableAppender(endpoint: config.redis, spoolDirectory: config.spoolDirectory, logger: logger)
    } catch {
        throw SettingError(setting: IngestSettingSpecs.spoolDir, reason: "\(error)")
    }
    let snapshots = SnapshotHolder(layout: config.layout, redis: RedisClient(endpoint: config.redis), keys: keys,
                                   cachePath: config.spoolDirectory + "/snapshot.json",
                                   interval: config.snapshotPoll, logger: logger)
    let deps = IngestDependencies(
        appender: appender, snapshots: snapshots, layout: config.layout, keys: keys,
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
            logger.notice("ingestd listening", metadata: [LogKey.port: "\(channel.localAddress?.port ?? -1)"])
            listening.set()
        },
        logger: logger
    )
    // The systemd notifier last: stopped right after the HTTP server, so STOPPING=1 precedes the spool drain.
    app.addServices(AppenderService(appender: appender, logger: logger), snapshots,
                    ingestSystemdService(deps: deps, listening: listening, eventLoops: app.eventLoopGroup, logger: logger))
    return app
}

/// Runs the durable appender for the app's lifetime; on graceful shutdown (after the HTTP
/// server stopped taking requests) flushes the queue and drains the spool within a bound.
struct AppenderService: Service {
    let appender: DurableAppender
    let logger: Logger

    func run() async throws {
        appender.start()
        try? await gracefulShutdown()
        await appender.shutdown(drainBudget: .seconds(5))
        logger.notice("ingest writer stopped", metadata: [LogKey.spoolPending: "\(appender.status.spoolPending)"])
    }
}
