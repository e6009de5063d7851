import ArgumentParser
import Foundation
import Logging
import TrackhubCore

/// `dispatchd dlq list|replay`.
struct DLQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dlq", abstract: "Inspect and replay dead letters.",
                                                    subcommands: [List.self, Replay.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dead letters not yet replayed.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Only this reason (unparseable, invalid, validation, expired, retries_exhausted, no_pixel, …).") var reason: String?
        @Option(help: "At most this many rows.") var limit = 100

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("dlq list", error) }
            do {
                let (layout, reason, limit) = (settings.layout, reason, limit)
                let rows = try await AdminPools.with(settings, application: "dlq") { pools in
                    try await pools.postgres.withConnection { conn in
                        try DeadLetterAdmin(layout: layout).list(reason: reason, limit: limit, connection: conn)
                    }
                }
                if rows.isEmpty { print("no dead letters\(reason.map { " with reason \($0)" } ?? "")"); return }
                print("id\treason\tpixel\tevent_id\tenvelope_id\tcreated_at\tdetail")
                for r in rows {
                    print("\(r.id)\t\(r.reason)\t\(r.pixel ?? "-")\t\(r.eventID ?? "-")\t\(r.envelopeID ?? "-")\t\(r.createdAt.map { "\($0)" } ?? "-")\t\(r.detail.prefix(160))")
                }
            } catch { throw fail("dlq list", error) }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put dead letters back to work (events: same event_id, attempts reset).")
        @OptionGroup var common: CommonOptions
        @Option(help: "One dead letter id.") var id: Int?
        @Option(help: "Every dead letter with this reason.") var reason: String?
        @Flag(help: "Every dead letter.") var all = false
        @Flag(help: "Also replay events older than Meta's 7-day window (Meta will reject them).") var force = false

        func validate() throws {
            let chosen = [id != nil, reason != nil, all].filter { $0 }.count
            guard chosen == 1 else { throw ValidationError("choose exactly one of --id, --reason, --all") }
        }

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("dlq replay", error) }
            let selection: DeadLetterAdmin.Selection = id.map { .id($0) } ?? reason.map { .reason($0) } ?? .all
            do {
                if force { FileHandle.standardError.write(Data("warning: --force replays events older than 7 days; Meta rejects them\n".utf8)) }
                let (layout, force) = (settings.layout, force)
                let report = try await AdminPools.with(settings, application: "dlq") { pools in
                    try await pools.withPostgresAndRedis { pg, redis in
                        try DeadLetterAdmin(layout: layout).replay(selection, force: force, postgres: pg, redis: redis)
                    }
                }
                print(report)
                if !report.refusedExpired.isEmpty { throw ExitCode(1) }
            } catch let exit as ExitCode { throw exit } catch { throw fail("dlq replay", error) }
        }
    }
}

/// `dispatchd status`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status",
        abstract: "Lag per stream, pending, retry depth, dead letters by reason, paused pixels, last error per pixel.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let settings: BaseSettings
        do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("status", error) }
        do {
            let layout = settings.layout
            let report = try await AdminPools.with(settings, application: "status") { pools in
                try await pools.withPostgresAndRedis { pg, redis in
                    try StatusReport.collect(layout: layout, postgres: pg, redis: redis)
                }
            }
            print(report)
        } catch { throw fail("status", error) }
    }
}
