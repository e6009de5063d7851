import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import TrackhubCore

/// The composition root: builds the whole ingestd application from its configuration.
/// Returns the app plus the pieces the executable starts/stops around it.
func buildIngestApplication(
    _ config: IngestConfiguration, registry: PrometheusCollectorRegistry, logger: Logger
) throws -> some ApplicationProtocol {
    let keys: KeyRing
    do { keys = try KeyRing.load(path: config.masterKeyFile) } catch {
        throw SettingError(setting: SharedSettings.masterKeyFile, reason: "\(error)")
    }
    let appender: DurableAppender
    do {
        appender = try DurableAppender(endpoint: config.redis, spoolDirectory: config.spoolDirectory, logger: logger)
    } catch {
        throw SettingError(setting: IngestSettings.spoolDir, reason: "\(error)")
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
    router.middlewares.add(CORSMiddleware { deps.snapshots.snapshot?.allOrigins ?? [] })
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
