import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Issue 19 item 1, forwarding: every authenticated update of a bot with `settings.forward_url`
/// is relayed by dispatchd, byte for byte, to the seller's own backend (a local fake), whatever
/// Meta does, in each chat's order, with retries while the backend is down.
extension SalesEndToEndTests {
    @Suite("telegram forward")
    struct TelegramForwardRelay {
        /// Applies the sales configuration again with the bot's account carrying `settings`
        /// (a YAML flow map) and, when given, its bot token in `api_token_env`; returns what
        /// `dispatchd apply` printed (it registers webhooks of `register_webhook: true` bots).
        static func applyBot(_ s: SalesFixture, settings: String, token: String? = nil, env extra: [String: String] = [:]) async throws -> CommandResult {
            let bot = SalesFixture.bot
            var account = "account: \(bot.username)\n        secret_env: \(bot.env)\n        settings: \(settings)\n"
            if token != nil { account += "        api_token_env: TH_TEST_BOT_TOKEN\n" }
            let yaml = s.configYAML.replacingOccurrences(of: "account: \(bot.username)\n        secret_env: \(bot.env)\n", with: account)
            #expect(yaml.contains(settings), "the bot's account was found in the configuration")
            let path = s.f.dir + "/sales-bot-\(UUID().uuidString.prefix(8)).yaml"
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            var env: [String: String] = extra
            for (_, secret) in SalesFixture.secrets { env[secret.env] = secret.value }
            env[SalesFixture.mercadoPagoToken.env] = SalesFixture.mercadoPagoToken.value
            env[bot.env] = bot.secret
            if let token { env["TH_TEST_BOT_TOKEN"] = token }
            return try await s.f.cli(["apply", path], env: env)
        }

        /// Sets the bot's `forward_url` and waits a configuration refresh of the workers.
        static func setForwardURL(_ s: SalesFixture, _ url: String) async throws {
            try await applyBot(s, settings: "{forward_url: \"\(url)\"}").requireSuccess("dispatchd apply (forward_url)")
            try await Task.sleep(for: .milliseconds(1500))
        }

        /// Updates of several kinds in three chats: /start, text, a callback query, an edit.
        static func updates(_ telegram: FakeTelegram, base: Int, clickID: String? = nil) -> [FakeJSON] {
            let bot = SalesFixture.bot.username
            var out: [FakeJSON] = []
            for i in 0..<4 {
                for (n, chat) in [6_300_000_001, 6_300_000_002, -100_777_000_1].enumerated() {
                    let id = base + i * 3 + n
                    let from: FakeJSON = ["id": .int(abs(chat)), "is_bot": false, "first_name": "Zé", "username": .string("ze_\(n)")]
                    let chatJSON: FakeJSON = ["id": .int(chat), "type": chat < 0 ? "supergroup" : "private"]
                    switch i {
                    case 0: out.append(telegram.startUpdate(bot: bot, userID: Int64(abs(chat)), payload: n == 0 ? clickID ?? "promo_0" : "promo_\(n)", updateID: id))
                    case 1: out.append(["update_id": .int(id), "message": ["message_id": .int(id), "from": from, "chat": chatJSON,
                                                                           "date": 1_790_000_000, "text": "quero o PIX, ação! 😀 \u{00e7}"]])
                    case 2: out.append(["update_id": .int(id), "callback_query": ["id": .string("cb\(id)"), "from": from, "data": "buy_1",
                                                                                  "message": ["message_id": 1, "chat": chatJSON, "date": 1_790_000_000]]])
                    default: out.append(["update_id": .int(id), "edited_message": ["message_id": .int(id), "from": from, "chat": chatJSON,
                                                                                   "date": 1_790_000_000, "edit_date": 1_790_000_100, "text": "ok"]])
                    }
                }
            }
            return out
        }

        /// The update ids the backend accepted, per chat, in arrival order.
        static func acceptedOrder(_ backend: FakeInbox) -> [Int: [Int]] {
            var out: [Int: [Int]] = [:]
            for r in backend.accepted() {
                guard let json = FakeJSON.parse(r.body), let id = json["update_id"]?.intValue else { continue }
                let chat = json["message"]?["chat"]?["id"]?.intValue ?? json["edited_message"]?["chat"]?["id"]?.intValue
                    ?? json["callback_query"]?["message"]?["chat"]?["id"]?.intValue ?? 0
                out[chat, default: []].append(id)
            }
            return out
        }

        @Test("every update reaches the backend byte-identical, in each chat's order, while Meta answers 500 to everything; no Trackhub secret leaves")
        func relayWhileMetaDown() async throws {
            try await withSalesFixture("tgforward") { s in
                let f = s.f
                f.meta.setBehaviour(.status(500), pixel: SalesFixture.pixel)
                let server = try await FakeBotBackendServer.start()
                defer { Task { await server.stop() } }
                try await Self.setForwardURL(s, server.url)
                // A click on the bot link: its PageView and the /start's ViewContent are tried at Meta (500).
                let clickID = try await SalesEndToEndTests.TelegramStart.botClick(s, forwardedFor: "198.51.100.7")
                try await SalesEndToEndTests.TelegramStart.withBot(s) { telegram in
                    let updates = Self.updates(telegram, base: 500_000, clickID: clickID)
                    var sent: [[UInt8]] = []
                    for update in updates {
                        sent.append(Array(update.jsonText.utf8))
                        #expect(try await telegram.push(bot: SalesFixture.bot.username, update: update) == 200)
                    }
                    try await f.eventually("\(updates.count) updates forwarded", timeout: .seconds(30),
                                           describe: { "\(server.inbox.accepted().count) accepted" }) {
                        server.inbox.accepted().count >= updates.count
                    }
                    try await Task.sleep(for: .seconds(1))
                    let accepted = server.inbox.accepted()
                    print("[telegram forward] pushed=\(updates.count) forwarded=\(accepted.count) meta_requests=\(f.meta.requests(pixel: SalesFixture.pixel).count) meta_accepted=\(f.meta.acceptedEvents(pixel: SalesFixture.pixel).count)")
                    #expect(accepted.count == updates.count, "each update once")
                    #expect(Set(accepted.map(\.body)) == Set(sent), "byte-identical bodies")
                    for (chat, ids) in Self.acceptedOrder(server.inbox) {
                        #expect(ids == ids.sorted(), "chat \(chat) relayed in order: \(ids)")
                    }
                    for r in accepted {
                        #expect(r.headers["content-type"] == "application/json")
                        #expect(r.headers["x-telegram-bot-api-secret-token"] == nil, "Trackhub's secret token is not relayed")
                        #expect(!r.headers.values.contains { $0.contains(SalesFixture.bot.secret) })
                    }
                    #expect(f.meta.acceptedEvents(pixel: SalesFixture.pixel).isEmpty && !f.meta.requests(pixel: SalesFixture.pixel).isEmpty,
                            "Meta was down the whole time (and was tried)")
                    let logs = f.workerLogs
                    #expect(logs.components(separatedBy: "telegram update forwarded").count - 1 == updates.count)
                    #expect(!logs.contains(SalesFixture.bot.secret) && !logs.contains(server.url), "no secret, no forward URL in logs")
                    #expect(!logs.contains("ze_1") && !logs.contains("6300000001"), "no user data in logs")
                }
            }
        }

        @Test("backend down, then 503 twice, then up: every update delivered after retries, in order, nothing lost, nothing twice")
        func backendDownThenUp() async throws {
            try await withSalesFixture("tgforward-down") { s in
                let f = s.f
                let port = 7900 + Int.random(in: 10...49)
                try await Self.setForwardURL(s, "http://127.0.0.1:\(port)/telegram")
                try await SalesEndToEndTests.TelegramStart.withBot(s) { telegram in
                    let updates = Array(Self.updates(telegram, base: 610_000).prefix(6))
                    for update in updates {
                        #expect(try await telegram.push(bot: SalesFixture.bot.username, update: update) == 200)
                    }
                    try await f.eventually("forwards refused and retried", timeout: .seconds(20)) {
                        f.workerLogs.components(separatedBy: "telegram update forward failed; will retry").count - 1 >= 4
                    }
                    let backend = FakeInbox()
                    backend.failNext(2, status: 503)
                    let server = try await FakeBotBackendServer.start(port: port, inbox: backend)
                    defer { Task { await server.stop() } }
                    try await f.eventually("\(updates.count) updates delivered after the backend came back", timeout: .seconds(40),
                                           describe: { "\(backend.accepted().count) accepted, \(backend.received().count) received" }) {
                        backend.accepted().count >= updates.count
                    }
                    try await Task.sleep(for: .seconds(1))
                    let retries = f.workerLogs.components(separatedBy: "telegram update forward failed; will retry").count - 1
                    print("[telegram forward down→up] pushed=\(updates.count) accepted=\(backend.accepted().count) received=\(backend.received().count) retries_logged=\(retries)")
                    #expect(backend.accepted().count == updates.count, "each update delivered once")
                    #expect(Set(backend.accepted().map(\.body)) == Set(updates.map { Array($0.jsonText.utf8) }))
                    for (chat, ids) in Self.acceptedOrder(backend) {
                        #expect(ids == ids.sorted(), "chat \(chat) relayed in order: \(ids)")
                    }
                    #expect(try f.deadLetters(reason: "telegram_forward").isEmpty)
                }
            }
        }
    }
}
