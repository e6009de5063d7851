import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Issue 19 item 5 end to end, with real processes (ingestd, `dispatchd run`), real Redis and
/// Postgres, and the fake Telegram Bot API: a pool bot whose `getMe` starts failing (401, the
/// token revoked) leaves `/go` rotation, the tenant's alert fires, with every bot dead the clicks
/// go to the link's `fallback_url`, and once `getMe` answers again the bots come back.
@Suite("telegram pool health", .serialized)
struct TelegramPoolHealthTests {
    static let slug = "pool-bot"
    static let bots = ["acme_pool_a_bot", "acme_pool_b_bot"]
    static let fallback = "https://wa.me/5511999999999?text=oi"

    /// The fixture's configuration plus, in tenant A, a two-bot link with a fallback and the
    /// bots' accounts (webhook secret and BotFather token from the environment).
    static func yaml(_ f: DispatchFixture) throws -> String {
        let hotmart = "    gateway_accounts:\n      - gateway: hotmart\n        account: main\n        secret_env: TH_TEST_HOTMART_SECRET\n"
        var lines = [
            "      - slug: \(slug)", "        destination:", "          type: telegram", "          fallback_url: \"\(fallback)\"",
            "          bots:",
        ]
        for bot in bots { lines += ["            - username: \(bot)", "              weight: 1"] }
        lines.append(hotmart.dropLast().description)
        for (i, bot) in bots.enumerated() {
            lines += ["      - gateway: telegram", "        account: \(bot)", "        secret_env: TH_TEST_POOL_SECRET_\(i)",
                      "        api_token_env: TH_TEST_POOL_TOKEN_\(i)"]
        }
        var text = f.configYAML
        guard let at = text.range(of: hotmart) else { throw HarnessError("fixture configuration changed shape") }
        text.replaceSubrange(at, with: lines.joined(separator: "\n") + "\n")
        return text
    }

    /// Rows of `alert_state` for the rule (the alert is on while one exists).
    static func botDownAlerts(_ f: DispatchFixture) throws -> [String] {
        let pg = try f.postgres()
        defer { pg.close() }
        let rows = try pg.query("SELECT alert_key FROM alert_state WHERE rule = 'telegram_bot_down' ORDER BY alert_key")
        return try rows.indices.map { try rows.string($0, "alert_key") ?? "" }
    }

    /// The value of `trackhub_telegram_bot_live{bot="…"}` in a Prometheus text page.
    static func gauge(_ page: String, bot: String) -> Double? {
        let prefix = "trackhub_telegram_bot_live{bot=\"\(bot)\"} "
        return page.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
    }

    /// Where `count` clicks on the pool link went: bot username, or `<fallback>`.
    static func destinations(_ f: DispatchFixture, count: Int = 16) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for _ in 0..<count {
            let r = try await RawHTTP.get(port: f.ingestPort, "/go/\(slug)?utm_source=fb", headers: [("User-Agent", "Mozilla/5.0 pool-test")])
            guard r.status == 302, let location = r.header("Location") else { throw HarnessError("/go answered \(r.status)") }
            if location.hasPrefix("https://t.me/") {
                out[String(location.dropFirst("https://t.me/".count).prefix { $0 != "?" }), default: 0] += 1
            } else if location.hasPrefix(fallback) {
                out["<fallback>", default: 0] += 1
            } else {
                throw HarnessError("unexpected Location \(location)")
            }
        }
        return out
    }

    @Test("getMe 401 → out of rotation within a minute and alerted; all dead → fallback_url; getMe answers → back in rotation")
    func deadBotLeavesAndComesBack() async throws {
        try await FakeTelegramServer.withServer { server in
            let telegram = server.telegram
            var env: [String: String] = [:]
            var secrets: [String] = []
            for (i, bot) in Self.bots.enumerated() {
                let token = FakeTelegram.token(for: bot, id: 7_400_000_001 + i)
                telegram.addBot(token: token, username: bot)
                env["TH_TEST_POOL_TOKEN_\(i)"] = token
                env["TH_TEST_POOL_SECRET_\(i)"] = "pool-secret_\(i)"
                secrets.append(String(token.split(separator: ":")[1]))
            }
            var options = DispatchFixture.Options()
            options.workers = 0
            options.workerEnv = env.merging([
                "TRACKHUB_TELEGRAM_BASE_URL": server.baseURL, "TRACKHUB_TELEGRAM_HEALTH_INTERVAL_MS": "1000",
                "TRACKHUB_TELEGRAM_HEALTH_FAILURES": "3", "TRACKHUB_ALERT_INTERVAL_MS": "1000", "TRACKHUB_ALERT_RESOLVE_AFTER_SECONDS": "1",
            ]) { _, new in new }
            try await withDispatchFixture("tg-pool-health", options: options) { f in
                let path = f.dir + "/pool.yaml"
                try Self.yaml(f).write(toFile: path, atomically: true, encoding: .utf8)
                try await f.cli(["apply", path], env: env).requireSuccess("dispatchd apply (pool config)")
                var served = false
                for _ in 0..<150 where !served {
                    served = (try? await RawHTTP.get(port: f.ingestPort, "/go/\(Self.slug)"))?.status == 302
                    if !served { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(served, "the pool link is served")
                let worker = try await f.startWorker("w1")
                _ = try await worker.waitForLog("telegram health lease taken", timeout: .seconds(20))

                // Both live: both take clicks.
                let before = try await Self.destinations(f, count: 40)
                print("[pool health] both live: \(before)")
                #expect(Set(before.keys) == Set(Self.bots))

                // Bot A's token is revoked: getMe answers 401.
                telegram.setGetMeFailure(.unauthorized, bot: Self.bots[0])
                let revokedAt = ContinuousClock.now
                var after: [String: Int] = [:]
                while ContinuousClock.now - revokedAt < .seconds(60) {
                    after = try await Self.destinations(f, count: 20)
                    if after == [Self.bots[1]: 20] { break }
                    try await Task.sleep(for: .milliseconds(200))
                }
                let leftAfter = ContinuousClock.now - revokedAt
                print("[pool health] bot A revoked: out of rotation after \(leftAfter); next 20 clicks \(after)")
                #expect(after == [Self.bots[1]: 20] && leftAfter < .seconds(60))
                #expect(try await Self.destinations(f, count: 40) == [Self.bots[1]: 40])
                _ = try await worker.waitForLog("telegram bot dead; out of /go rotation", timeout: .seconds(5))
                // The metric on the worker's admin endpoint: A 0 (dead), B 1 (live).
                let adminPort = try await worker.waitForPort("dispatchd admin listening")
                let metrics = try await RawHTTP.get(port: adminPort, "/metrics").text
                #expect(Self.gauge(metrics, bot: Self.bots[0]) == 0 && Self.gauge(metrics, bot: Self.bots[1]) == 1,
                        "\(metrics.split(separator: "\n").filter { $0.hasPrefix("trackhub_telegram_bot_live") })")
                try await f.eventually("the tenant's telegram_bot_down alert", timeout: .seconds(20)) {
                    try Self.botDownAlerts(f) == ["telegram_bot_down|\(DispatchFixture.tenantA)|\(Self.bots[0])"]
                }

                // Both dead (B's answers time out as 5xx three times in a row): the fallback.
                telegram.setGetMeFailure(.serverError, bot: Self.bots[1])
                var fallbackAfter: [String: Int] = [:]
                let serverErrorAt = ContinuousClock.now
                while ContinuousClock.now - serverErrorAt < .seconds(30) {
                    fallbackAfter = try await Self.destinations(f, count: 10)
                    if fallbackAfter == ["<fallback>": 10] { break }
                    try await Task.sleep(for: .milliseconds(200))
                }
                print("[pool health] bot B 502 ×3: fallback after \(ContinuousClock.now - serverErrorAt): \(fallbackAfter)")
                #expect(fallbackAfter == ["<fallback>": 10])

                // getMe answers again: both bots rotate again.
                telegram.setGetMeFailure(nil, bot: Self.bots[0])
                telegram.setGetMeFailure(nil, bot: Self.bots[1])
                let restoredAt = ContinuousClock.now
                var restored: [String: Int] = [:]
                while ContinuousClock.now - restoredAt < .seconds(60) {
                    restored = try await Self.destinations(f, count: 40)
                    if Set(restored.keys) == Set(Self.bots) { break }
                    try await Task.sleep(for: .milliseconds(200))
                }
                print("[pool health] getMe answers again: back after \(ContinuousClock.now - restoredAt): \(restored)")
                #expect(Set(restored.keys) == Set(Self.bots))
                _ = try await worker.waitForLog("telegram bot live; in /go rotation", timeout: .seconds(5))
                try await f.eventually("the alerts resolve once the bots answer", timeout: .seconds(20)) { try Self.botDownAlerts(f).isEmpty }

                // The health check called getMe for both bots; no token in any log.
                #expect(telegram.calls(bot: Self.bots[0], method: "getMe").count >= 3)
                let logs = f.workerLogs + f.ingest.log
                for secret in secrets { #expect(!logs.contains(secret), "a bot token reached a log") }
                #expect(f.ingest.log.contains("telegram bots out of rotation changed"))
            }
        }
    }
}
