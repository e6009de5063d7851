import ArgumentParser
import Foundation
import Logging
import TrackhubCore

/// `dispatchd retention run`: expires what each tenant's retention policy says is past its
/// period (docs/PRIVACY.md) and keeps the ledger's monthly partitions ahead of time. Started
/// daily by `trackhub-retention.timer`; safe to run by hand, twice, or on several hosts.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retention",
        abstract: "Expire data past each tenant's retention period.", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete or anonymise what is past its retention period, drop expired ledger months, create the next ones.")
        @OptionGroup var common: CommonOptions
        @Flag(help: "Count what would be removed; change nothing.") var dryRun = false
        @Option(help: ArgumentHelp("Expire as of this time instead of now (ISO 8601, for tests).", visibility: .hidden))
        var now: String?
        @Option(help: "Rows per batch (each batch is one short transaction).") var batchSize = 5_000

        func validate() throws {
            if let now, ISO8601DateFormatter().date(from: now) == nil {
                throw ValidationError("--now '\(now)' is not an ISO 8601 time such as 2027-03-01T00:00:00Z")
            }
            guard batchSize >= 1 && batchSize <= 100_000 else { throw ValidationError("--batch-size must be between 1 and 100000") }
        }

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("retention run", error) }
            LogfmtLogHandler.bootstrap(level: settings.logLevel)
            let asOf = now.flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date()
            let (dryRun, batchSize) = (dryRun, batchSize)
            do {
                let report = try await AdminPools.with(settings, application: "retention") { pools in
                    try await pools.postgres.withConnection { pg in
                        try RetentionRunner(batchSize: batchSize).run(now: asOf, dryRun: dryRun, connection: pg)
                    }
                }
                print(report)
            } catch { throw fail("retention run", error) }
        }
    }
}
