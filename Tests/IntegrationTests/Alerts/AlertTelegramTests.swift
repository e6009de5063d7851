import Foundation
import Logging
import ServiceLifecycle
import Testing
import TrackhubCore
import TrackhubTesting

/// ``AlertService`` in-process with real Postgres (a fresh migrated database), the suite's
/// Redis, libcurl and ``FakeTelegramServer``: every rule's fired / repeated / resolved message
/// reaches the tenant's chat and the operator's, sealed tokens opened in memory only.
@Suite("Alerts to Telegram", .serialized, .timeLimit(.minutes(3)),
       .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis and Postgres)"))
struct AlertTelegramTests {
    static let logger = Logger(label: "alert-telegram-test")
    static let tenant = "loja"
    static let tenantChat = "-100111"
    static let operatorChat = "-100999"

    /// Runs `body` with a started service over a fresh database, the fake Telegram with one bot
    /// that knows both chats, and both chats stored (token sealed).
    static func withService(thresholds: AlertThresholds = AlertThresholds(), summaryHour: Int? = nil,
                            _ body: (AlertService, FakeTelegram, PostgresConnection, StreamLayout) async throws -> Void) async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let pg = try PostgresConnection(url, applicationName: "alert-telegram-test")
            defer { pg.close() }
            try Migrator().migrate(pg)
            try await FakeTelegramServer.withServer { server in
                let token = FakeTelegram.token(for: "alertasbot")
                server.telegram.addBot(token: token, username: "alertasbot")
                server.telegram.addChat(tenantChat, bot: "alertasbot")
                server.telegram.addChat(operatorChat, bot: "alertasbot")
                let keys = KeyRing(keys: [(id: "k1", bytes: (0..<32).map { _ in UInt8.random(in: 0...255) })])
                try AlertTelegramChat.save(.init(scope: tenant, chatID: tenantChat, token: TelegramBotToken(token)), keys: keys, connection: pg)
                try AlertTelegramChat.save(.init(scope: AlertTelegramChat.operatorScope, chatID: operatorChat, token: TelegramBotToken(token)),
                                           keys: keys, connection: pg)
                let raw = try pg.query("SELECT count(*) AS n, string_agg(bot_token_ciphertext, ' ') AS t FROM alert_telegram_chats")
                #expect(try raw.int(0, "n") == 2)
                #expect(try !(raw.string(0, "t") ?? "").contains(token), "the token is stored sealed")
                #expect(try !(raw.string(0, "t") ?? "").contains(String(token.split(separator: ":").last ?? "")))

                let pool = PostgresPool(conninfo: url, size: 2, applicationName: "alert-telegram-test", logger: logger)
                let redis = RedisClient(endpoint: TestEnvironment.redisEndpoint)
                let http = try CurlClientPool(size: 2, userAgent: "trackhub-test")
                let layout = StreamLayout(prefix: TestEnvironment.uniquePrefix("alerttg"))
                let telegram = TelegramAlertChannel(client: CurlTelegramClient(http: http, baseURL: server.baseURL)) {
                    try await pool.withConnection { try AlertTelegramChat.load(keys: keys, connection: $0).chats }
                }
                var configuration = AlertService.Configuration(interval: .seconds(1), leaseTTL: .seconds(10), thresholds: thresholds)
                configuration.dailySummaryHour = summaryHour
                let service = AlertService(configuration: configuration, layout: layout, redis: redis, postgres: pool,
                                           channels: [telegram], holder: "test", logger: logger)
                try await ServiceGroup.withRunning([pool, redis, http], logger: logger) {
                    try await body(service, server.telegram, pg, layout)
                    let conn = try RedisConnection(endpoint: TestEnvironment.redisEndpoint)
                    defer { conn.close() }
                    if let keys = try? conn.command(["KEYS", layout.prefix + ":*"]).elements.compactMap(\.text), !keys.isEmpty {
                        _ = try? conn.command(["DEL"] + keys)
                    }
                }
            }
        }
    }

    @Test("each rule: fired, repeated and resolved reach the tenant's chat (tenant alerts) and the operator's, HTML-escaped pt-BR",
          arguments: AlertRule.allCases)
    func everyRule(rule: AlertRule) async throws {
        try await Self.withService { service, telegram, pg, _ in
            let now = AlertRuleFixtures.now
            var facts = AlertRuleFixtures.holding(rule)
            if rule == .deadLetters { facts.deadLetters = [.init(reason: "invalid <b>&", count: 3)] }
            try await service.process(facts, now: now)
            try await service.process(facts, now: now.addingTimeInterval(30 * 60))         // quiet: before the first repeat
            try await service.process(facts, now: now.addingTimeInterval(61 * 60))         // the repeat
            try await service.process(AlertRuleFixtures.clear(rule), now: now.addingTimeInterval(62 * 60))  // clear, waiting
            try await service.process(AlertRuleFixtures.clear(rule), now: now.addingTimeInterval(65 * 60))  // resolved

            let operatorTexts = telegram.messages(chatID: Self.operatorChat).map(\.text)
            #expect(operatorTexts.count == 3, "\(operatorTexts)")
            #expect(operatorTexts.count == 3 && operatorTexts[0].hasPrefix("<b>🔴 ") && operatorTexts[1].hasPrefix("<b>🔁 ")
                    && operatorTexts[2].hasPrefix("<b>✅ Resolvido: "))
            #expect(telegram.messages(chatID: Self.operatorChat).allSatisfy { $0.parseMode == "HTML" })
            #expect(telegram.messages(chatID: Self.operatorChat).last?.disableNotification == true, "resolved is silent")
            let tenantTexts = telegram.messages(chatID: Self.tenantChat).map(\.text)
            let isTenantAlert = AlertRuleFixtures.holding(rule).tenantOfFirst == Self.tenant
            #expect(tenantTexts == (isTenantAlert ? operatorTexts : []))
            if rule == .deadLetters {
                #expect(operatorTexts[0].contains("invalid &lt;b&gt;&amp;") && !operatorTexts[0].contains("<b>&"))
            }
            let history = try AlertStore.history(tenant: nil, allTenants: true, connection: pg)
            #expect(history.map(\.notification.kind) == [.resolved, .repeated, .fired])
            #expect(history.allSatisfy { $0.deliveries.values.allSatisfy { $0 == "sent" } })
        }
    }

    @Test("429 from Telegram: the message waits retry_after and is sent once; a chat the bot cannot reach is refused, not retried")
    func floodAndRefusal() async throws {
        try await Self.withService { service, telegram, pg, _ in
            telegram.failNext(1, method: "sendMessage", bot: "alertasbot", with: FakeTelegramFailure(errorCode: 429, retryAfter: 1))
            let now = Date()
            try await service.process(AlertRuleFixtures.holding(.consumerLag).shifted(to: now), now: now)
            #expect(telegram.messages(chatID: Self.operatorChat).isEmpty)
            try await Task.sleep(for: .milliseconds(1100))
            try await service.deliverDue(now: Date())
            #expect(telegram.messages(chatID: Self.operatorChat).count == 1)
            _ = try pg.query("UPDATE alert_telegram_chats SET chat_id = '-100404' WHERE scope = '*'")
            try await service.process(AlertRuleFixtures.holding(.pixelPaused), now: now.addingTimeInterval(1))
            let rows = try pg.query("SELECT state, last_error FROM alert_deliveries d JOIN alert_history h ON h.id = d.history_id WHERE h.rule = 'pixel_paused' AND d.channel = 'telegram:*'")
            #expect(try rows.string(0, "state") == "failed")
            #expect(try (rows.string(0, "last_error") ?? "").contains("chat not found"))
            #expect(telegram.messages(chatID: Self.tenantChat).count == 1, "the tenant's chat still gets it")
        }
    }

    @Test("the daily summary: yesterday's approved sales, those sent to Meta, and why the others were not; once a day")
    func dailySummary() async throws {
        try await Self.withService(summaryHour: 8) { service, telegram, pg, _ in
            // Now: 2026-12-03 09:00 at -03:00; yesterday = 2026-12-02 (local).
            let now = Date(timeIntervalSince1970: 1_796_299_200)
            let yesterday = now.addingTimeInterval(-20 * 3600)
            func sale(_ id: String, status: String = "approved", at: Date = yesterday, ignored: String? = nil, outcomes: [String]) throws {
                let row = try pg.query("""
                    INSERT INTO conversions (gateway, account, transaction_id, status, tenant_id, occurred_at, ignored_reason)
                    VALUES ('hotmart', 'h1', $1, $2, $3, $4, $5) RETURNING id
                    """, [.string(id), .string(status), .string(Self.tenant), .timestamp(at), ignored.map { .string($0) }])
                let conversion = try row.int(0, "id") ?? 0
                for outcome in outcomes {
                    _ = try pg.query("""
                        INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, conversion_id, outcome) VALUES ($1, 'Purchase', '111', $2, $3)
                        """, [.string(id), .int(conversion), .string(outcome)])
                }
            }
            for i in 0..<3 { try sale("T\(i)", outcomes: ["sent"]) }
            try sale("T3", outcomes: ["retry_scheduled", "sent"])
            try sale("T4", ignored: "teste do gateway", outcomes: [])
            try sale("T5", outcomes: ["consent_blocked"])
            try sale("T6", status: "refunded", outcomes: [])
            try sale("T7", at: now.addingTimeInterval(-2 * 86_400), outcomes: ["sent"])
            try await service.sendDailySummaries(now: now)
            try await service.sendDailySummaries(now: now.addingTimeInterval(3600))
            let texts = telegram.messages(chatID: Self.tenantChat).map(\.text)
            #expect(texts.count == 1, "\(texts)")
            #expect(texts.first?.contains("ontem: 6 vendas aprovadas, 4 enviadas à Meta, 2 não enviadas: 1 comprador sem consentimento, 1 teste do gateway") == true,
                    "\(texts)")
            #expect(texts.first?.hasPrefix("<b>📊 Resumo de 2026-12-02</b>") == true)
            #expect(telegram.messages(chatID: Self.operatorChat).isEmpty, "the summary goes to the tenant's chat")
        }
    }
}

extension AlertFacts {
    /// The tenant of the fixture's first item (nil: an operator alert).
    var tenantOfFirst: String? {
        pausedPixels.first?.tenant ?? matchRates.first?.tenant ?? gatewayAccounts.first?.tenant ?? webhookRejections.first?.tenant
            ?? agingEvents.first?.tenant ?? deadBots.first?.tenant
    }

    /// The backlog fixture with its oldest entry six minutes before `now`.
    func shifted(to now: Date) -> AlertFacts {
        var f = self
        f.streams = streams.map { .init(stream: $0.stream, entries: $0.entries, oldestAt: now.addingTimeInterval(-6 * 60)) }
        return f
    }
}
