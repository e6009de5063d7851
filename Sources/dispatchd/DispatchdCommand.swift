import ArgumentParser
import Foundation
import Logging
import TrackhubCore

/// `dispatchd`: the consumer-group worker that delivers events to Meta, and its admin CLI.
@main
struct DispatchdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatchd",
        abstract: "Trackhub's worker: matching, dedupe, rate limiting, CAPI sending, retries, dead letters; and its admin CLI.",
        subcommands: [RunCommand.self, MigrateCommand.self, ApplyCommand.self, DLQCommand.self, StatusCommand.self,
                      DiagnoseCommand.self, SupportBundleCommand.self, ConsoleCommand.self,
                      PrivacyCommand.self, AlertsCommand.self, SecretsCommand.self, AnalyticsCommand.self, ReportCommand.self, APIKeyCommand.self,
                      AdSpendCommand.self, TelegramCommand.self, RetentionCommand.self]
    )
}

/// `dispatchd migrate`: applies pending Postgres migrations (idempotent; safe to run concurrently).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let settings: BaseSettings
        do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("migrate", error) }
        LogfmtLogHandler.bootstrap(level: settings.logLevel)
        let logger = Logger(label: "dispatchd.migrate")
        do {
            let applied = try await AdminPools.with(settings, application: "migrate") { pools in
                try await pools.postgres.withConnection { connection in try Migrator(logger: logger).migrate(connection) }
            }
            print(applied.isEmpty ? "database is up to date" : "applied migrations: " + applied.map { "\($0.version) \($0.name)" }.joined(separator: ", "))
        } catch {
            throw fail("migrate", error)
        }
    }
}

/// `dispatchd apply FILE`: declarative, idempotent configuration; publishes the ingest snapshot.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a configuration file (YAML or JSON): tenants, pixels, links, gateway accounts; then publish it to ingestd.")
    @OptionGroup var common: CommonOptions
    @Argument(help: "The configuration file (.yaml, .yml or .json).") var file: String
    @Flag(help: "Only validate the file and show what would change.") var dryRun = false

    func run() async throws {
        let settings: BaseSettings
        do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("apply", error) }
        LogfmtLogHandler.bootstrap(level: settings.logLevel)
        do {
            let keys = try settings.keys()
            let config = try TrackhubConfigFile.load(path: file)
            let problems = config.validate()
            for warning in problems where !warning.isError {
                FileHandle.standardError.write(Data("dispatchd apply: \(warning)\n".utf8))
            }
            if problems.contains(where: \.isError) {
                FileHandle.standardError.write(Data(("dispatchd apply: \(file) has \(problems.filter(\.isError).count) error(s):\n" + problems.filter(\.isError).map { "  - \($0)" }.joined(separator: "\n") + "\n").utf8))
                throw ExitCode(2)
            }
            let (layout, dryRun) = (settings.layout, dryRun)
            let result: String = try await AdminPools.with(settings, application: "apply") { pools in
                if dryRun {
                    return try await pools.postgres.withConnection { postgres in
                        "\(try ConfigApplier().plan(config, keys: keys, connection: postgres))"
                    }
                }
                return try await pools.withPostgresAndRedis { postgres, redis in
                    "\(try ConfigDeployment(layout: layout).run(config, keys: keys, postgres: postgres, redis: redis))"
                }
            }
            print(result)
            if !dryRun, Self.registersWebhooks(config) {
                let results = try await TelegramRegistration.run(settings: settings, resolver: try common.resolver(), only: nil)
                for r in results { print("telegram \(r)") }
                if results.contains(where: { !$0.registered }) {
                    FileHandle.standardError.write(Data("dispatchd apply: configuration applied, but a bot's webhook is not registered (see above); fix it and run dispatchd telegram register\n".utf8))
                    throw ExitCode(1)
                }
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail("apply", error)
        }
    }

    /// Whether a bot of the file asks Trackhub to register its webhook (`register_webhook: true`).
    static func registersWebhooks(_ config: TrackhubConfigFile) -> Bool {
        config.tenants.contains { tenant in
            tenant.gatewayAccounts.contains { $0.gateway == Gateway.telegram.rawValue && $0.settings?.objectValue?["register_webhook"] == .bool(true) }
        }
    }
}
