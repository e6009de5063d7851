import Foundation
import Logging
import ServiceLifecycle
import Testing
import TrackhubCore
import TrackhubTesting

/// Issue 19 item 2 end to end: an ad click on `/go/{slug}` sends the person to
/// `t.me/<bot>?start=<click id>`; the fake Telegram Bot API pushes the bot's `/start <click id>`
/// update to ingestd's `/webhooks/telegram/{bot}` (the webhook registered through the real
/// client with its secret token, as `setWebhook` does); dispatchd turns it into one ViewContent
/// at the fake Meta with the click's IP, user agent, fbc and fbp, `action_source: chat` and the
/// user's hashed `external_id`, and links the bot user to the click (`telegram_bot_users`).
extension SalesEndToEndTests {
    @Suite("telegram /start")
    struct TelegramStart {
        /// Runs `body` with the fake Telegram knowing the fixture's bot, its webhook set to
        /// ingestd with the fixture's secret token through ``CurlTelegramClient``.
        static func withBot(_ s: SalesFixture, _ body: (FakeTelegram) async throws -> Void) async throws {
            let pool = try CurlClientPool(size: 2)
            try await ServiceGroup.withRunning([pool], logger: Logger(label: "test")) {
                try await FakeTelegramServer.withServer { server in
                    let token = FakeTelegram.token(for: SalesFixture.bot.username, id: 7_300_000_001)
                    server.telegram.addBot(token: token, username: SalesFixture.bot.username)
                    let client = CurlTelegramClient(http: pool, baseURL: server.baseURL, timeout: .seconds(5))
                    try await client.setWebhook(token: TelegramBotToken(token), TelegramWebhookSettings(
                        url: "http://127.0.0.1:\(s.f.ingestPort)/webhooks/telegram/\(SalesFixture.bot.username)",
                        secretToken: SalesFixture.bot.secret, allowedUpdates: ["message"]))
                    try await body(server.telegram)
                }
            }
        }

        /// A click on the bot link like a browser from an ad; the click id from the deep link.
        static func botClick(_ s: SalesFixture, forwardedFor: String) async throws -> String {
            let r = try await RawHTTP.get(port: s.f.ingestPort, "/go/\(SalesFixture.bot.slug)?utm_source=fb&fbclid=IwAR-bot_Zq1",
                                          headers: [("User-Agent", SalesFixture.clickUserAgent), ("Cookie", "_fbp=fb.1.1596403881668.2226446470"),
                                                    ("X-Forwarded-For", forwardedFor)])
            guard r.status == 302, let location = r.header("Location"),
                  location.hasPrefix("https://t.me/\(SalesFixture.bot.username)?start="),
                  let id = URLComponents(string: location)?.queryItems?.first(where: { $0.name == "start" })?.value else {
                throw HarnessError("bot link answered \(r.status) \(r.header("Location") ?? "-")")
            }
            return id
        }

        /// A bot-link click from a random address, once its PageView reached Meta: the click id,
        /// the address and that PageView (what later bot events must carry).
        static func deliveredBotClick(_ s: SalesFixture) async throws -> (clickID: String, ip: String, pageView: FakeMetaAcceptedEvent) {
            let ip = "198.51.100.\(Int.random(in: 2...250))"
            let clickID = try await botClick(s, forwardedFor: ip)
            try await s.f.waitDelivered([clickID], pixel: SalesFixture.pixel)
            return (clickID, ip, try #require(s.f.meta.acceptedEvents().first { $0.eventID == clickID }))
        }

        static func eventID(_ updateID: Int) -> String { "telegram.\(SalesFixture.bot.username).\(updateID)" }

        /// Webhook inbox rows of the bot, and its stored links.
        static func botInboxCount(_ s: SalesFixture) throws -> Int {
            let conn = try s.f.postgres()
            defer { conn.close() }
            return try conn.query("SELECT count(*) AS n FROM webhook_inbox WHERE gateway = 'telegram'").int(0, "n") ?? -1
        }

        @Test("click → /start pushed three times (redeliveries) → exactly one ViewContent with the click's IP/UA/fbc/fbp; a forged secret appends nothing")
        func startBecomesViewContent() async throws {
            try await withSalesFixture("tgstart") { s in
                let f = s.f
                let (clickID, ip, clickPageView) = try await Self.deliveredBotClick(s)
                try await Self.withBot(s) { telegram in
                    let userID: Int64 = 6_100_000_000 + Int64.random(in: 1...999_999)
                    let update = telegram.startUpdate(bot: SalesFixture.bot.username, userID: userID, payload: clickID)
                    let updateID = try #require(update["update_id"]?.intValue)

                    // A forged secret token: refused, nothing appended (no inbox row ever appears).
                    #expect(try await telegram.push(bot: SalesFixture.bot.username, update: update, secret: "forged-token") == 401)
                    #expect(try await telegram.push(bot: SalesFixture.bot.username, update: update, secret: "") == 401)

                    // Telegram redelivers an update it did not see acknowledged: three copies.
                    for _ in 1...3 { #expect(try await telegram.push(bot: SalesFixture.bot.username, update: update) == 200) }
                    try await f.eventually("three /start updates processed", describe: { "\(try Self.botInboxCount(s)) inbox rows" }) {
                        let conn = try f.postgres()
                        defer { conn.close() }
                        return try conn.query("SELECT count(*) AS n FROM webhook_inbox WHERE gateway = 'telegram' AND processed_at IS NOT NULL")
                            .int(0, "n") == 3
                    }
                    let eventID = Self.eventID(updateID)
                    try await f.waitDelivered([eventID], pixel: SalesFixture.pixel)
                    try await f.waitIdle()

                    #expect(try Self.botInboxCount(s) == 3, "the forged pushes must not be stored")
                    let accepted = s.accepted(eventID: eventID)
                    #expect(accepted.count == 1 && f.meta.duplicates().isEmpty, "\(accepted.count) accepted")
                    let event = try #require(accepted.first)
                    let user = event["user_data"]
                    print("[telegram start] event=\(eventID) name=\(event.eventName) action_source=\(event.actionSource) ledger=\(try s.ledgerOutcomes(eventID: eventID))")
                    #expect(event.eventName == "ViewContent" && event.actionSource == "chat" && event["event_source_url"] == nil)
                    #expect(user?["client_ip_address"]?.stringValue == ip)
                    #expect(user?["client_user_agent"]?.stringValue == SalesFixture.clickUserAgent)
                    #expect(user?["fbc"]?.stringValue == clickPageView["user_data"]?["fbc"]?.stringValue && user?["fbc"] != nil)
                    #expect(user?["fbp"]?.stringValue == "fb.1.1596403881668.2226446470")
                    #expect(SalesExpect.hashes(event, "external_id") == [SalesExpect.sha256("telegram:\(userID)")])
                    #expect(try s.ledgerOutcomes(eventID: eventID).sorted() == ["sent", "skipped_duplicate", "skipped_duplicate"])

                    // The bot user ↔ click link: kept hashed, and what later events of the user read.
                    let conn = try f.postgres()
                    defer { conn.close() }
                    let found = try #require(try TelegramBotUserStore().click(tenant: SalesFixture.tenant, userID: userID, connection: conn))
                    #expect(found.link.clickID == clickID && found.link.bot == SalesFixture.bot.username)
                    #expect(found.click?.ip == ip && found.click?.fbc == clickPageView["user_data"]?["fbc"]?.stringValue)
                    #expect(try conn.query("SELECT count(*) AS n FROM telegram_bot_users WHERE user_hash = $1", [.string(String(userID))]).int(0, "n") == 0)
                }
            }
        }

        @Test("a /start without a click id, or with one that never arrives: recorded, never sent")
        func startWithoutClick() async throws {
            var options = DispatchFixture.Options()
            options.lateClickHoldMs = 1500
            try await withSalesFixture("tgstart-noclick", options: options) { s in
                let f = s.f
                try await Self.withBot(s) { telegram in
                    let bot = SalesFixture.bot.username
                    let plain = telegram.startUpdate(bot: bot, userID: 6_200_000_001, payload: nil)
                    let promo = telegram.startUpdate(bot: bot, userID: 6_200_000_002, payload: "promo_natal")
                    let missing = telegram.startUpdate(bot: bot, userID: 6_200_000_003, payload: ClickID.generate())
                    for u in [plain, promo, missing] { #expect(try await telegram.push(bot: bot, update: u) == 200) }
                    let missingID = Self.eventID(try #require(missing["update_id"]?.intValue))
                    try await f.eventually("the /start held for a click that never comes is dropped", timeout: .seconds(20),
                                           describe: { "\(try s.ledgerOutcomes(eventID: missingID))" }) {
                        try s.ledgerOutcomes(eventID: missingID) == ["held", "click_missing"]
                    }
                    try await f.waitIdle()
                    let conn = try f.postgres()
                    defer { conn.close() }
                    let rows = try conn.query("SELECT outcome FROM webhook_inbox WHERE gateway = 'telegram' ORDER BY id")
                    let outcomes = try rows.indices.map { try rows.string($0, "outcome") ?? "-" }
                    #expect(outcomes == ["ignored: /start without a click id", "ignored: /start payload is not a click id",
                                         "telegram start: ViewContent held for its click"], "\(outcomes)")
                    #expect(f.meta.acceptedEvents().filter { ($0.eventID ?? "").hasPrefix("telegram.") }.isEmpty)
                    #expect(try conn.query("SELECT count(*) AS n FROM telegram_bot_users").int(0, "n") == 0)
                }
            }
        }

        @Test("a /start processed before its click (different streams): held, then sent once with the click's data")
        func startBeforeItsClick() async throws {
            var options = DispatchFixture.Options()
            options.readCount = 1
            try await withSalesFixture("tgstart-late", options: options, startWorkers: false) { s in
                let f = s.f
                try await Self.withBot(s) { telegram in
                    let backlog = try await f.clicks(3, slug: DispatchFixture.slugA)
                    let ip = "198.51.100.\(Int.random(in: 2...250))"
                    let clickID = try await Self.botClick(s, forwardedFor: ip)
                    let update = telegram.startUpdate(bot: SalesFixture.bot.username, userID: 6_300_000_001, payload: clickID)
                    #expect(try await telegram.push(bot: SalesFixture.bot.username, update: update) == 200)
                    let eventID = Self.eventID(try #require(update["update_id"]?.intValue))

                    try await f.startWorker("w1")
                    try await f.waitDelivered(backlog + [clickID, eventID], pixel: SalesFixture.pixel)
                    try await f.waitIdle()
                    let accepted = s.accepted(eventID: eventID)
                    #expect(accepted.count == 1)
                    let event = try #require(accepted.first)
                    let clickPageView = try #require(f.meta.acceptedEvents().first { $0.eventID == clickID })
                    #expect(event.requestSequence > clickPageView.requestSequence)
                    #expect(try s.ledgerOutcomes(eventID: eventID) == ["held", "sent"])
                    #expect(event.actionSource == "chat" && event["user_data"]?["client_ip_address"]?.stringValue == ip)
                    #expect(event["user_data"]?["fbc"]?.stringValue == clickPageView["user_data"]?["fbc"]?.stringValue)
                    let conn = try f.postgres()
                    defer { conn.close() }
                    #expect(try TelegramBotUserStore().click(tenant: SalesFixture.tenant, userID: 6_300_000_001, connection: conn)?.link.clickID == clickID)
                }
            }
        }
    }
}
