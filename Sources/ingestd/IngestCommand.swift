import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import TrackhubCore

/// `ingestd`: the public HTTP edge. Its settings (flags, `TRACKHUB_*` variables, the `--config`
/// file, defaults) come from the table, ``IngestSettings`` (docs/CONFIGURATION.md).
@main
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingestd",
        abstract: "Trackhub's HTTP edge: clicks, page events and gateway webhooks into Redis streams."
    )

    /// Takes the settings flags out by the table, lets ArgumentParser parse the rest (nothing,
    /// or `--help`), and adds the table's settings to `--help`.
    static func main() async {
        let line: SettingsCommandLine
        do {
            line = try Self.commandLine()
        } catch {
            Self.exit(withError: ValidationError("\(error)"))
        }
        if line.wantsHelp {
            print(helpMessage())
            print(SettingsHelp.text(IngestSettings.table, command: nil))
            return
        }
        do {
            var command = try parseAsRoot(line.remaining)
            if var command = command as? any AsyncParsableCommand { try await command.run() } else { try command.run() }
        } catch {
            Self.exit(withError: error)
        }
    }

    static func commandLine() throws -> SettingsCommandLine {
        try SettingsCommandLine(Array(CommandLine.arguments.dropFirst()), table: IngestSettings.table, subcommands: false)
    }

    func run() async throws {
        let configuration: IngestConfiguration
        do {
            configuration = try IngestConfiguration(SettingsResolver(flags: try Self.commandLine().flags))
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
        try await app.runService()
    }
}
