import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TrackhubCore

/// `dispatchd adspend add|list|sync|remove`: the ad accounts whose spend Trackhub imports from
/// Meta's insights API (read-only, `ads_read`), and an import on demand (docs/ANALYTICS.md).
/// `dispatchd run` imports every enabled account on its own schedule.
struct AdSpendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adspend", abstract: "Ad accounts whose spend is imported from Meta (docs/ANALYTICS.md).",
        subcommands: [Add.self, List.self, Sync.self, Remove.self])

    /// The token is read from `TRACKHUB_ADSPEND_TOKEN` (never a flag: flags show in `ps`) and
    /// stored sealed; without it, the tenant's default pixel's token is used.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an ad account's spend (the token, with ads_read, comes from TRACKHUB_ADSPEND_TOKEN; without it the default pixel's token is used).")
        @OptionGroup var common: CommonOptions
        @Option(help: "The tenant id.") var tenant: String
        @Option(help: "The ad account id: act_123… or the number Ads Manager shows.") var account: String
        @Flag(help: "Use the tenant's default pixel token (it must have ads_read) even if TRACKHUB_ADSPEND_TOKEN is set.")
        var pixelToken = false
        @Flag(help: "Keep the account but do not import it.") var disabled = false

        func run() async throws {
            guard let id = AdSpendPlan.normalizedAccountID(account) else {
                throw ValidationError("--account must be an ad account id: act_ followed by digits (e.g. act_1234567890)")
            }
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("adspend add", error) }
            let env = ProcessInfo.processInfo.environment["TRACKHUB_ADSPEND_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            let token = pixelToken ? nil : env
            let tenant = tenant, enabled = !disabled
            do {
                let keys = try settings.keys()
                try await AdminPools.with(settings, application: "adspend") { pools in
                    try await pools.postgres.withConnection {
                        try AdAccountStore.save(tenant: tenant, account: id, token: token, enabled: enabled, keys: keys, connection: $0)
                    }
                }
                let source = token == nil ? "the default pixel's token" : "its own token (sealed)"
                print("adspend: \(tenant)/\(id) \(enabled ? "imported" : "kept, not imported") with \(source)")
            } catch { throw fail("adspend add", error) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The ad accounts, their token source, last import and last error.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Only this tenant's accounts.") var tenant: String?

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("adspend list", error) }
            let tenant = tenant
            do {
                let keys = try settings.keys()
                let accounts = try await AdminPools.with(settings, application: "adspend") { pools in
                    try await pools.postgres.withConnection { try AdAccountStore.load(tenant: tenant, keys: keys, connection: $0) }
                }
                if accounts.isEmpty { print("no ad accounts (add one with dispatchd adspend add)") }
                for a in accounts {
                    let synced = a.lastSyncedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "never"
                    let token = a.tokenSource.rawValue + (a.token == nil && a.tokenSource != .none ? " (unreadable)" : "")
                    print("\(a.tenant)\t\(a.id)\t\(a.enabled ? "enabled" : "disabled")\ttoken: \(token)\tlast import: \(synced)"
                          + (a.lastError.map { "\tlast error: \($0)" } ?? ""))
                }
            } catch { throw fail("adspend list", error) }
        }
    }

    /// One import now, whatever the schedule (a disabled account is imported too when named).
    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a tenant's ad spend now and print what was written.")
        @OptionGroup var common: CommonOptions
        @Option(help: "The tenant id.") var tenant: String
        @Option(help: "Only this ad account.") var account: String?

        func run() async throws {
            let base: BaseSettings, importer: AdSpendImporter.Configuration
            do {
                let s = try common.resolver()
                base = try BaseSettings(s)
                importer = AdSpendImporter.Configuration(
                    graphBaseURL: try s.outboundURL(DispatchSettings.graphBaseURL, allowLoopbackHTTP: try s.bool(DispatchSettings.allowLoopbackHTTP)),
                    graphVersion: try s.text(DispatchSettings.graphVersion), days: try s.int(DispatchSettings.adSpendDays))
            } catch { throw fail("adspend sync", error) }
            let only = try account.map { raw in
                guard let id = AdSpendPlan.normalizedAccountID(raw) else { throw ValidationError("--account must be act_ followed by digits") }
                return id
            }
            let tenant = tenant
            let results: [AdSpendResult]
            do {
                let keys = try base.keys()
                let logger = Logger(label: "dispatchd.adspend")
                let http = try CurlClientPool(size: 1, userAgent: "trackhub-dispatchd")
                results = try await AdminPools.with(base, application: "adspend") { pools in
                    try await ServiceGroup.withRunning([http], logger: logger) {
                        let job = AdSpendImporter(configuration: importer, source: CurlAdInsightsSource(http: http), postgres: pools.postgres,
                                                  keys: keys, logger: logger)
                        var out: [AdSpendResult] = []
                        for var a in try await job.accounts(tenant: tenant) where only == nil || a.id == only {
                            if only != nil { a.enabled = true }
                            out.append(await job.importAccount(a))
                        }
                        return out
                    }
                }
            } catch { throw fail("adspend sync", error) }
            if results.isEmpty {
                print(only == nil ? "no ad accounts for \(tenant) (add one with dispatchd adspend add)" : "\(tenant) has no ad account \(only ?? "")")
                throw ExitCode(1)
            }
            for r in results { print(r.summary) }
            if results.contains(where: { if case .failed = $0.outcome { true } else { false } }) { throw ExitCode(1) }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop importing an ad account and delete the spend imported from it.")
        @OptionGroup var common: CommonOptions
        @Option(help: "The tenant id.") var tenant: String
        @Option(help: "The ad account id.") var account: String

        func run() async throws {
            guard let id = AdSpendPlan.normalizedAccountID(account) else { throw ValidationError("--account must be act_ followed by digits") }
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("adspend remove", error) }
            let tenant = tenant
            do {
                let removed = try await AdminPools.with(settings, application: "adspend") { pools in
                    try await pools.postgres.withConnection { try AdAccountStore.remove(tenant: tenant, account: id, connection: $0) }
                }
                print(removed ? "adspend: \(tenant)/\(id) removed with its imported spend" : "adspend: \(tenant) has no ad account \(id)")
            } catch { throw fail("adspend remove", error) }
        }
    }
}
