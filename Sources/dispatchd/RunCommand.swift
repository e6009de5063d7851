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

    func run() async throws {
        let s: SettingsResolver
        let base: BaseSettings
        let worker: WorkerSettings
        do {
            s = try common.resolver()
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
                try ConfigRepository.loadDispatchConfig(connection: conn, keys: keys)
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
