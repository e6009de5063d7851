import Foundation
import Logging
import ServiceLifecycle
import TrackhubCore

/// Times the console's readers over the ledger `scripts/lib/bench/console-seed.sql` built:
/// ledger search by order id, click id, e-mail and phone (each a random existing one), an
/// event's page, the failure queue's groups, ignored webhooks, the live status, and the
/// troubleshooting evidence — each `--samples` times, one at a time, through
/// ``PostgresInsightStore`` on a running ``PostgresPool`` (what a console page does before it
/// renders). Prints one JSON object per operation: samples, hits, p50/p99/max in ms.
enum InsightBench {
    static func run(arguments: [String]) async throws {
        let o = try Options(arguments, allowed: ["database-url", "redis-url", "prefix", "rows", "samples"])
        guard let redis = RedisEndpoint(url: o.string("redis-url", default: "redis://127.0.0.1:6379/0")) else {
            throw Options.UsageError(description: "--redis-url is not a Redis URL")
        }
        let rows = try o.int("rows", default: 1_000_000), samples = max(1, try o.int("samples", default: 200))
        let sales = rows / 10, clicks = rows / 2
        let logger = Logger(label: "bench-tool.insight")
        let pool = PostgresPool(conninfo: o.string("database-url", default: ""), size: 1, applicationName: "bench-insight", logger: logger)
        let store = PostgresInsightStore(postgres: pool, redis: redis, layout: StreamLayout(prefix: o.string("prefix", default: "th")))
        let scope = InsightScope.tenants(["bench-console"])
        try await ServiceGroup.withRunning([pool], logger: logger) {
            let normalizers = try await store.searchNormalizers(scope: scope)
            func sale() -> Int { Int.random(in: 1...max(1, sales)) }
            func padded(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
            try await time("ledger_search_order_id", samples) {
                try await store.search(.parse("HPB" + padded(sale(), 10), normalizers: normalizers), scope: scope, limit: 20).sales.count
            }
            try await time("ledger_search_click_id", samples) {
                try await store.search(.parse("BCLK" + padded(Int.random(in: 1...max(1, clicks)), 10), normalizers: normalizers),
                                       scope: scope, limit: 20).events.count
            }
            try await time("ledger_search_email", samples) {
                try await store.search(.parse("Buyer\(sale())@Example.com", normalizers: normalizers), scope: scope, limit: 20).sales.count
            }
            try await time("ledger_search_phone", samples) {
                try await store.search(.parse("+55 (11) 9" + padded(sale(), 8), normalizers: normalizers), scope: scope, limit: 20).sales.count
            }
            try await time("event_page_purchase", samples) {
                let key = LedgerEventKey(pixel: "900000000000001", eventName: "Purchase", eventID: "hotmart.HPB" + padded(sale(), 10))
                return try await store.event(key, scope: scope)?.attempts.count ?? 0
            }
            try await time("dead_letter_groups", max(1, samples / 10)) { try await store.groups(scope: scope).count }
            try await time("ignored_webhooks", max(1, samples / 10)) {
                try await store.ignoredWebhooks(scope: scope, hours: 24 * 7, limit: 50).count
            }
            try await time("live_status", max(1, samples / 10)) { try await store.liveStatus(scope: scope).sendsPerMinute >= 0 ? 1 : 0 }
            try await time("troubleshooting_evidence", max(1, samples / 10)) { try await store.evidence(scope: scope).sales.count }
        }
    }

    /// Runs `body` `samples` times after two untimed warm-up calls; `body` returns how many
    /// rows it found (a search that finds nothing measures nothing useful: `hits` shows it).
    static func time(_ name: String, _ samples: Int, _ body: () async throws -> Int) async throws {
        for _ in 0..<2 { _ = try await body() }
        var ms: [Double] = []
        var hits = 0
        for _ in 0..<samples {
            let start = ContinuousClock.now
            if try await body() > 0 { hits += 1 }
            let d = ContinuousClock.now - start
            ms.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
        }
        ms.sort()
        func p(_ q: Double) -> Double { ms[min(ms.count - 1, Int((Double(ms.count) * q).rounded(.up)) - 1)] }
        let line = "{\"name\":\"\(name)\",\"samples\":\(samples),\"hits\":\(hits),\"p50_ms\":\(round2(p(0.5))),\"p99_ms\":\(round2(p(0.99))),\"max_ms\":\(round2(ms.last ?? 0))}"
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}
