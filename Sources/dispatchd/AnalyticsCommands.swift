import ArgumentParser
import Foundation
import TrackhubCore

/// `dispatchd analytics …`: the hourly rollups (docs/ANALYTICS.md).
struct AnalyticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analytics", abstract: "Hourly analytics rollups.",
                                                    subcommands: [Backfill.self])

    /// `dispatchd analytics backfill --tenant T [--from D] [--to D]`: rebuilds a tenant's rollups
    /// from the raw tables (touchpoints, conversions, matches, the ledger) — after a restore,
    /// or to check the live rollups. Writers wait while it runs; nothing is counted twice.
    struct Backfill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild a tenant's hourly rollups from the raw tables (hours in [from, to), UTC).")
        @OptionGroup var common: CommonOptions
        @Option(help: "The tenant id.") var tenant: String
        @Option(help: "First hour, UTC: YYYY-MM-DD or an ISO 8601 time (default: everything).") var from: String?
        @Option(help: "End (excluded), UTC: YYYY-MM-DD or an ISO 8601 time (default: everything).") var to: String?

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("analytics backfill", error) }
            let start = try from.map { try AnalyticsPeriod.parseInstant($0, option: "--from") } ?? AnalyticsPeriod.earliest
            let end = try to.map { try AnalyticsPeriod.parseInstant($0, option: "--to") } ?? AnalyticsPeriod.latest
            guard start < end else { throw ValidationError("--from must be before --to") }
            let tenant = tenant
            do {
                let written = try await AdminPools.with(settings, application: "analytics-backfill") { pools in
                    try await pools.postgres.withConnection { c in
                        try AnalyticsStore().backfill(tenant: tenant, from: start, to: end, connection: c)
                    }
                }
                print("analytics backfill: tenant \(tenant): \(written) rollup rows written")
            } catch { throw fail("analytics backfill", error) }
        }
    }
}
