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

        let services: [ServiceGroupConfiguration.ServiceConfiguration]
        do {
            services = try buildDispatchServices(base: base, worker: worker, keys: try base.keys(), registry: registry, logger: logger)
        } catch {
            logger.critical("dispatchd cannot start", metadata: [LogKey.error: "\(error)"])
            throw ExitCode(2)
        }
        logger.notice("dispatchd starting", metadata: [LogKey.streamPrefix: "\(base.layout.prefix)"])
        // Pools, services and their order: see buildDispatchServices. They stop in reverse order
        // on SIGTERM, whether the group ends gracefully or by an error.
        try await dispatchServiceGroup(services, logger: logger).run()
        logger.notice("dispatchd stopped")
    }
}

/// `/metrics` and `/healthz` on the admin port.
enum AdminServer {
    static func build(host: String, port: Int, idleTimeout: Duration, registry: PrometheusCollectorRegistry, logger: Logger) -> some Service {
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
            router: router, server: .http1(configuration: .init(idleTimeout: .init(idleTimeout))),
            configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                logger.notice("dispatchd admin listening", metadata: [LogKey.port: "\(channel.localAddress?.port ?? -1)"])
            },
            logger: logger)
    }
}
