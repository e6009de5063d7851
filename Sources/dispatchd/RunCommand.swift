import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle
import UnixSignals
import TrackhubCore

/// `dispatchd run --consumer NAME`: one worker of the consumer group.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run one consumer-group worker.")
    @OptionGroup var common: CommonOptions
    @Option(help: "Consumer name, stable across restarts (systemd: the instance name).") var consumer: String?
    @Option(name: .customLong("admin-port"), help: "Port of /metrics and /healthz (default 9090; 0 = any).") var adminPort: String?
    @Option(name: .customLong("graph-base-url"), help: "Graph API base URL.") var graphBaseURL: String?

    func run() async throws {
        typealias S = DispatchSettingSpecs
        var extra: [String: String] = [:]
        extra["consumer"] = consumer
        extra["admin-port"] = adminPort
        extra["graph-base-url"] = graphBaseURL
        let s: SettingsResolver
        let base: BaseSettings
        let worker: WorkerSettings
        do {
            s = try common.resolver(extra: extra)
            base = try BaseSettings(s)
            worker = try WorkerSettings(s)
        } catch {
            throw fail("run", error)
        }
        LogfmtLogHandler.bootstrap(level: base.logLevel)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: "dispatchd")
        logger[metadataKey: LogKey.consumer] = "\(worker.consumer)"

        let keys: KeyRing
        let http: CurlClientPool
        do {
            keys = try base.keys()
            http = try CurlClientPool(size: worker.senders, userAgent: "trackhub-dispatchd")
        } catch {
            logger.critical("dispatchd cannot start", metadata: [LogKey.error: "\(error)"])
            throw ExitCode(2)
        }
        let postgres = PostgresPool(conninfo: base.databaseURL, size: worker.postgresConnections, applicationName: "dispatchd-\(worker.consumer)",
                                    logger: logger)
        let readRedis = RedisClient(endpoint: base.redis)
        let opsRedis = RedisClient(endpoint: base.redis)
        let configs = ConfigHolder(interval: worker.configRefresh, logger: logger) {
            try await postgres.withConnection { conn in
                DispatchRuntimeConfig(try ConfigRepository.loadDispatchConfig(connection: conn, keys: keys))
            }
        }
        let sender = EventSender(configuration: worker.sender, http: http, redis: opsRedis, layout: base.layout, logger: logger)
        let recorder = OutcomeRecorder(postgres: postgres, redis: opsRedis, layout: base.layout, logger: logger)
        let sales = SalesProcessor(configuration: worker.sales, keys: keys, postgres: postgres, http: http, logger: logger)
        let pipeline = DispatchPipeline(interpreter: EnvelopeInterpreter(keys: keys), sender: sender, recorder: recorder,
                                        postgres: postgres, logger: logger, sales: sales)
        let joined = Latch(), heartbeat = Heartbeat()
        let consumerService = ConsumerService(configuration: worker.consumerConfiguration, layout: base.layout, redis: readRedis,
                                              pipeline: pipeline, configs: configs, logger: logger, heartbeat: heartbeat,
                                              onReady: { joined.set() })
        let retry = RetryService(layout: base.layout, redis: opsRedis, pipeline: pipeline, configs: configs, logger: logger)
        let sampler = MetricsSampler(layout: base.layout, redis: opsRedis, postgres: postgres, logger: logger)
        let admin = AdminServer.build(host: worker.adminHost, port: worker.adminPort, registry: registry, logger: logger)
        let systemd = dispatchSystemdService(consumer: worker.consumer, group: base.layout.consumerGroup, joined: joined,
                                             heartbeat: heartbeat, logger: logger)

        // Started in order, stopped in reverse: systemd hears of the stop first (STOPPING=1), then the
        // consumer stops reading, the admin server last.
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: admin), .init(service: sampler), .init(service: configs), .init(service: retry), .init(service: consumerService),
                       .init(service: systemd)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        logger.notice("dispatchd starting", metadata: [LogKey.streamPrefix: "\(base.layout.prefix)"])
        try await group.run()
        await http.shutdown()
        await readRedis.shutdown()
        await opsRedis.shutdown()
        try? await postgres.shutdown()
        logger.notice("dispatchd stopped")
    }
}

/// Worker-only settings.
struct WorkerSettings {
    typealias S = DispatchSettingSpecs
    let consumer: String
    let senders: Int
    let postgresConnections: Int
    let configRefresh: Duration
    let adminHost: String
    let adminPort: Int
    let sender: EventSender.Configuration
    let consumerConfiguration: ConsumerService.Configuration
    let sales: SalesProcessor.Configuration

    init(_ s: SettingsResolver) throws {
        let name = s.string(S.consumer) ?? ProcessInfo.processInfo.hostName
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.@".contains($0) }) else {
            throw SettingError(setting: S.consumer, reason: "must be 1-64 letters, digits, - _ . @")
        }
        consumer = name
        senders = try s.int(S.senders, in: 1...64)
        postgresConnections = try s.int(S.postgresConnections, in: 1...64)
        configRefresh = try s.milliseconds(S.configRefreshMs, in: 100...600_000)
        adminHost = try s.required(S.adminHost)
        adminPort = try s.int(S.adminPort, in: 0...65535)
        let base = try s.required(S.graphBaseURL)
        guard let url = URL(string: base), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw SettingError(setting: S.graphBaseURL, reason: "must be an absolute http(s) URL")
        }
        let version = try s.required(S.graphVersion)
        guard version.hasPrefix("v"), Double(version.dropFirst()) != nil else {
            throw SettingError(setting: S.graphVersion, reason: "must look like v25.0")
        }
        sender = EventSender.Configuration(
            graphBaseURL: base.hasSuffix("/") ? String(base.dropLast()) : base, graphVersion: version,
            timeout: try s.milliseconds(S.sendTimeoutMs, in: 100...60_000),
            connectTimeout: try s.milliseconds(S.connectTimeoutMs, in: 50...30_000),
            retryPolicy: RetryPolicy(base: try s.milliseconds(S.retryBaseMs, in: 10...3_600_000),
                                     cap: try s.milliseconds(S.retryCapMs, in: 100...86_400_000),
                                     maxAttempts: try s.int(S.retryMaxAttempts, in: 1...100)),
            throttlePause: try s.milliseconds(S.throttlePauseMs, in: 100...3_600_000))
        let mp = try s.required(S.mercadoPagoBaseURL)
        guard let mpURL = URL(string: mp), mpURL.scheme == "https" || mpURL.scheme == "http", mpURL.host != nil else {
            throw SettingError(setting: S.mercadoPagoBaseURL, reason: "must be an absolute http(s) URL")
        }
        sales = SalesProcessor.Configuration(
            attributionWindow: TimeInterval(try s.int(S.attributionWindowHours, in: 1...(24 * 28)) * 3600),
            mercadoPagoBaseURL: mp.hasSuffix("/") ? String(mp.dropLast()) : mp,
            scoreThreshold: try s.double(S.matchScoreThreshold, in: 0...1),
            lateClickHold: try s.milliseconds(S.lateClickHoldMs, in: 0...86_400_000),
            lateClickRecheck: try s.milliseconds(S.lateClickRecheckMs, in: 100...600_000))
        consumerConfiguration = ConsumerService.Configuration(
            consumerName: name, readCount: try s.int(S.readCount, in: 1...10_000),
            claimMinIdle: try s.milliseconds(S.claimIdleMs, in: 1000...3_600_000),
            claimInterval: try s.milliseconds(S.claimIntervalMs, in: 100...3_600_000),
            retention: try s.milliseconds(S.streamRetentionMs, in: 0...(30 * 86_400_000)))
    }
}

/// `/metrics` and `/healthz` on the admin port.
enum AdminServer {
    static func build(host: String, port: Int, registry: PrometheusCollectorRegistry, logger: Logger) -> some Service {
        let router = Router()
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"ok\"}")))
        }
        router.get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                logger.notice("dispatchd admin listening", metadata: [LogKey.port: "\(channel.localAddress?.port ?? -1)"])
            },
            logger: logger)
    }
}
