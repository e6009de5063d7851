import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals
import TrackhubCore

/// `ingestd`: the public HTTP edge. Flags override `TRACKHUB_*` environment variables, which
/// override the `--config` file; every setting has a documented default (docs/CONFIGURATION.md).
@main
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingestd",
        abstract: "Trackhub's HTTP edge: clicks, page events and gateway webhooks into Redis streams."
    )

    @Option(help: "Config file of KEY=value lines (same keys as the environment).") var config: String?
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default 8080; 0 = any free port).") var port: String?
    @Option(name: .customLong("redis-url"), help: "Redis URL (default redis://127.0.0.1:6379/0).") var redisURL: String?
    @Option(name: .customLong("stream-prefix"), help: "Prefix of every Redis key (default th).") var streamPrefix: String?
    @Option(name: .customLong("spool-dir"), help: "Spool and snapshot cache directory.") var spoolDir: String?
    @Option(name: .customLong("master-key-file"), help: "Key ring file.") var masterKeyFile: String?
    @Option(name: .customLong("trusted-proxies"), help: "CIDRs whose X-Forwarded-For is trusted.") var trustedProxies: String?
    @Option(name: .customLong("log-level"), help: "Log level (default info).") var logLevel: String?

    func run() async throws {
        var flags: [String: String] = [:]
        flags["host"] = host
        flags["port"] = port
        flags["redis-url"] = redisURL
        flags["stream-prefix"] = streamPrefix
        flags["spool-dir"] = spoolDir
        flags["master-key-file"] = masterKeyFile
        flags["trusted-proxies"] = trustedProxies
        flags["log-level"] = logLevel
        let configuration: IngestConfiguration
        do {
            configuration = try IngestConfiguration(SettingsResolver(flags: flags, configFile: config))
        } catch {
            FileHandle.standardError.write(Data("ingestd: \(error)\n".utf8))
            throw ExitCode(2)
        }
        LogfmtLogHandler.bootstrap(level: configuration.logLevel)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "ingestd")
        let app: any ApplicationProtocol
        do {
            app = try buildIngestApplication(configuration, registry: registry, logger: logger)
        } catch {
            logger.critical("ingestd cannot start", metadata: [LogKey.error: "\(error)"])
            throw ExitCode(2)
        }
        // The app runs its own services (Redis client, writer, snapshot poller, systemd notifier)
        // around its HTTP server; this group adds the signals and the bound on graceful shutdown.
        var group = ServiceGroupConfiguration(services: [.init(service: app)],
                                              gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = IngestLifecycle.gracefulShutdownBound
        try await ServiceGroup(configuration: group).run()
    }
}
