import ArgumentParser
import Foundation
import TrackhubCore

/// `dispatchd report …`: reports for operators and scripts.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Reports: reconcile.",
                                                    subcommands: [Reconcile.self])

    /// `dispatchd report reconcile --tenant T --day D [--json]`: per gateway, the sales received
    /// that day (UTC), those sent to Meta, and every one not sent with its reason.
    struct Reconcile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per gateway: sales received on a day (UTC), sent to Meta, and each one not sent with its reason.")
        @OptionGroup var common: CommonOptions
        @Option(help: "The tenant id.") var tenant: String
        @Option(help: "The day, YYYY-MM-DD (UTC).") var day: String
        @Flag(help: "Print one JSON object (per gateway: received, sent, not_sent [{order_id, status, reason}], match_rate).")
        var json = false

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("report reconcile", error) }
            guard let start = AnalyticsPeriod.day(day) else { throw ValidationError("--day: \"\(day)\" is not YYYY-MM-DD") }
            let tenant = tenant
            do {
                let report = try await AdminPools.with(settings, application: "report-reconcile") { pools in
                    try await pools.postgres.withConnection { c in try AnalyticsStore().reconcile(tenant: tenant, day: start, connection: c) }
                }
                print(json ? report.json() : report.plainText())
            } catch { throw fail("report reconcile", error) }
        }
    }
}
