import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import TrackhubCore

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
    /// Where each webhook's authentication outcome is traced for the console; nil: not traced.
    var webhookTrace: WebhookTraceRecorder? = nil
    /// Webhooks refused for their authentication, reported to the alert rules by ``IngestReporter``.
    var rejections = WebhookRejectionTally()

    /// Redis and the local spool: the snapshot poller's Redis client (a thread of its own),
    /// the durable appender (the single writer), the snapshot poller, and the alert reporter.
    static func live(_ config: IngestConfiguration, keys: KeyRing, logger: Logger) throws -> IngestBackends {
        let appender: DurableAppender
        do {
            appender = try DurableAppender(endpoint: config.redis, spoolDirectory: config.spoolDirectory,
                                           drainBudget: IngestLifecycle.spoolDrainBudget, replyTimeout: config.redisTimeout,
                                           spoolMaxBytes: config.spoolMaxBytes,
                                           memoryWatermarkPercent: config.redisMemoryWatermarkPercent, logger: logger)
        } catch {
            throw SettingError(setting: IngestSettings.spoolDir, reason: "\(error)")
        }
        let redis = RedisClient(endpoint: config.redis)
        let snapshots = SnapshotHolder(layout: config.layout, redis: redis, keys: keys,
                                       cachePath: config.spoolDirectory + "/snapshot.json",
                                       interval: config.snapshotPoll, logger: logger)
        let rejections = WebhookRejectionTally()
        let reporter = IngestReporter(instance: config.instance, sink: appender, tally: rejections, redis: redis,
                                      keys: AlertRedisKeys(layout: config.layout), logger: logger)
        return IngestBackends(sink: appender, snapshots: snapshots, services: [redis, appender, snapshots, reporter],
                              webhookTrace: WebhookTraceRecorder(redis: redis, layout: config.layout, logger: logger),
                              rejections: rejections)
    }
}

/// The composition root of the executable: loads the key ring, builds the live backends
/// (Redis, spool) and the application around them.
func buildIngestApplication(
    _ config: IngestConfiguration, registry: PrometheusCollectorRegistry, logger: Logger
) throws -> some ApplicationProtocol {
    var keys: KeyRing
    do { keys = try KeyRing.load(path: config.masterKeyFile) } catch {
        throw SettingError(setting: SharedSettings.masterKeyFile, reason: "\(error)")
    }
    keys.acceptsPurposeOnly = config.acceptsPurposeOnly
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
        cookieDomain: config.cookieDomain, cookieSecure: config.cookieSecure, clickLimits: config.clickLimits,
        urlQueryAllowList: config.urlQueryAllowList, webhookTrace: backends.webhookTrace,
        rejections: backends.rejections, logger: logger)

    let router = Router(context: IngestRequestContext.self)
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(CORSMiddleware { deps.snapshots.snapshot?.allOrigins ?? [] })
    if config.clientRatePerSecond > 0 {
        router.middlewares.add(ClientRateLimitMiddleware(limiter: ClientRateLimiter(rate: Double(config.clientRatePerSecond)), deps: deps))
    }
    let go = GoRoute(deps: deps)
    let track = TrackRoute(deps: deps)
    let webhook = WebhookRoute(deps: deps)
    let health = HealthRoutes(deps: deps, registry: registry)
    router.get("/go/:slug", use: go.handle)
    router.post("/track/:event", use: track.handle)
    router.on("/track/:event", method: .options, use: track.preflight)
    router.post("/s2s/:event", use: S2SRoute(deps: deps).handle)
    router.post("/webhooks/:gateway/:account", use: webhook.handle)
    router.get("/t.js") { request, _ in TrackingScript.handle(request, snapshot: deps.snapshots.snapshot) }
    router.get("/healthz", use: health.healthz)
    router.get("/readyz", use: health.readyz)
    router.get("/metrics", use: health.metrics)

    let listening = Latch()
    var app = Application(
        router: router,
        // A connection that has not sent a complete request head (a slowloris) or anything
        // since its last answer is closed after the idle timeout (Hummingbird's
        // HTTPConnectionStateHandler: only a whole head or body part counts as activity).
        server: .http1(configuration: .init(idleTimeout: .init(config.httpIdleTimeout))),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: nil),
        onServerRunning: { channel in
            // The test harness and scripts read the bound port from this line (port 0 = any).
            logger.notice("ingestd listening", metadata: [LogKey.port: "\(channel.localAddress?.port ?? -1)"])
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
