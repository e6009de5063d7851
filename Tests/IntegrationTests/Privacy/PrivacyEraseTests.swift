import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Issue 18's canary: one person's e-mail, phone, CPF and name planted through a click, `/track`,
/// each gateway's webhook, a dead letter, a parked event and a Telegram bot `/start` (their
/// Telegram user id and its hash, the bot user ↔ click link); `dispatchd privacy export` finds
/// them; `dispatchd privacy erase` leaves neither the clear values nor their hashes anywhere in
/// a full `pg_dump`, in any Redis key or in the AOF, while another person's data and every
/// count stay.
extension SalesEndToEndTests {
    @Suite("privacy erasure")
    struct PrivacyErasure {
        struct Person {
            let buyer: GatewayBuyer
            let cpf: String
            let telegramUserID: Int64
            /// The clear values searched for after the erasure.
            var clear: [String] {
                [buyer.email, buyer.phone, "55" + buyer.phone, cpf, buyer.firstName.lowercased(), buyer.lastName.lowercased(), String(telegramUserID)]
            }
            /// Every hash the dispatch could have stored for them.
            var hashes: [String] {
                let n = UserDataNormalizer()
                let h = n.normalize(RawUserData(email: buyer.email, phone: buyer.phone, firstName: buyer.firstName,
                                                lastName: buyer.lastName, externalId: cpf))
                return h.em + h.ph + h.fn + h.ln + h.externalId + [TelegramUserIdentity.externalID(userID: telegramUserID)]
            }

            static func unique(_ tag: String) -> Person {
                let digits = { (n: Int) in String((0..<n).map { _ in "0123456789".randomElement()! }) }
                let letters = { String((0..<6).map { _ in "bcdfghjklmnpqrstvwxz".randomElement()! }) }
                // A CPF with valid check digits (the privacy commands refuse a mistyped one).
                var cpf = digits(11)
                while !BrazilianDocumentCheck.isValid(cpf) { cpf = digits(11) }
                let buyer = GatewayBuyer(email: "\(tag).\(letters())@cliente.test", firstName: "Canaria" + letters(),
                                         lastName: "Passaro" + letters(), phone: "119" + digits(8), document: cpf)
                return Person(buyer: buyer, cpf: buyer.document, telegramUserID: 6_300_000_000 + Int64.random(in: 1...99_999_999))
            }
        }

        @Test("erase: the canary's clear values and hashes are in no Postgres row, Redis key or AOF record; the other person's stay")
        func eraseCanary() async throws {
            try await withSalesFixture("privacy") { s in
                let f = s.f
                let p = Person.unique("canario"), q = Person.unique("outra")
                let redis = try f.redis()
                defer { redis.close() }
                // Plain-command AOF rewrites, so the search below reads every value as written.
                _ = try redis.command(["CONFIG", "SET", "aof-use-rdb-preamble", "no"])

                var envelopes: [String] = [], eventIDs: [String] = []
                for person in [p, q] {
                    let click = try await s.click(to: .hotmart)
                    let leadID = "lead-" + UUID().uuidString.prefix(8).lowercased()
                    let lead = try await f.track("lead", [
                        "click_id": click.id, "event_id": leadID,
                        "user": ["email": person.buyer.email, "phone": person.buyer.phone, "first_name": person.buyer.firstName,
                                 "last_name": person.buyer.lastName, "external_id": person.cpf],
                    ])
                    #expect(lead.status == 202)
                    eventIDs += [click.id, leadID]
                    let hotmart = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                    envelopes.append(try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: hotmart, buyer: person.buyer, sck: click.id)))
                    eventIDs.append("hotmart.\(hotmart)")
                }
                // The canary also buys through every other gateway that carries the buyer in its webhook.
                for gateway in [Gateway.kiwify, .eduzz, .monetizze, .stripe] {
                    let transaction = (gateway == .stripe ? "pi_" : "T") + String(UInt64.random(in: 1_000_000_000...9_999_999_999))
                    envelopes.append(try await s.deliverAccepted(GatewayWebhooks.sale(gateway, transaction: transaction, buyer: p.buyer,
                                                                                        clickID: nil, secret: SalesFixture.secret(gateway))))
                    eventIDs.append("\(gateway.rawValue).\(transaction)")
                }
                try await s.waitProcessed(envelopes)
                try await f.waitDelivered(eventIDs, pixel: SalesFixture.pixel)
                // Each person also came through the bot link and sent it /start: a ViewContent with
                // their Telegram hash as external_id, the update (their name) sealed in the inbox,
                // the bot user ↔ click link.
                try await TelegramStart.withBot(s) { telegram in
                    var starts: [String] = []
                    for person in [p, q] {
                        let click = try await TelegramStart.deliveredBotClick(s)
                        let update = telegram.startUpdate(bot: SalesFixture.bot.username, userID: person.telegramUserID, payload: click.clickID,
                                                          firstName: person.buyer.firstName)
                        #expect(try await telegram.push(bot: SalesFixture.bot.username, update: update) == 200)
                        starts.append(TelegramStart.eventID(try #require(update["update_id"]?.intValue)))
                    }
                    try await f.waitDelivered(starts, pixel: SalesFixture.pixel)
                }
                try await f.waitIdle()

                // A dead letter and a parked event for each person, as the pipeline stores them.
                let pg = try f.postgres()
                defer { pg.close() }
                for (tag, person) in [("p", p), ("q", q)] {
                    let h = UserDataNormalizer().normalize(RawUserData(email: person.buyer.email, phone: person.buyer.phone))
                    let event = #"{"action_source":"website","event_id":"dl-\#(tag)","event_name":"Lead","event_time":\#(Int(Date().timeIntervalSince1970)),"user_data":{"em":["\#(h.em[0])"],"ph":["\#(h.ph[0])"],"client_user_agent":"ua"}}"#
                    try pg.query("INSERT INTO dead_letters (reason, detail, payload, event_id, pixel_id) VALUES ('invalid', 'test', $1, $2, $3)",
                                 [.string(event), .string("dl-\(tag)-" + UUID().uuidString.prefix(6)), .string(SalesFixture.pixel)])
                    let key = "\(SalesFixture.pixel)|Lead|parked-\(tag)"
                    let quoted = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
                    let stored = #"{"attempts":1,"envelopeID":"env-parked-\#(tag)","eventID":"parked-\#(tag)","eventJSON":\#(quoted),"eventName":"Lead","eventTime":\#(Int(Date().timeIntervalSince1970)),"pixel":"\#(SalesFixture.pixel)"}"#
                    _ = try redis.command(["HSET", f.layout.retryPayloads, key, stored])
                    _ = try redis.command(["ZADD", f.layout.prefix + ":parked:" + SalesFixture.pixel, "1", key])
                }
                // Parked events exist only under a token pause (a worker refused with the configured token);
                // without one, RetryService reschedules them (the orphan release, issue 14's scenario 6d).
                let refused = "token: Error validating access token (190) " + PixelControl.tokenMarker(f.tokenA)
                try PixelControl(layout: f.layout).pause(pixel: SalesFixture.pixel, reason: refused, duration: nil, connection: redis)

                var before = try Self.counts(pg)
                #expect(try Self.hits(p, in: Self.pgDump(f)) > 0, "the canary is stored before the erasure")

                let export = try await f.cli(["privacy", "export", "--tenant", SalesFixture.tenant, "--email", p.buyer.email, "--by", "test"])
                try export.requireSuccess("privacy export")
                let document = export.stdout
                #expect(document.contains(p.buyer.email), "the export holds the opened webhook bodies")
                #expect(!document.contains(q.buyer.email), "the export holds nobody else")
                for section in ["touchpoints", "conversions", "meta_events", "webhooks", "dead_letters", "waiting_in_redis"] {
                    #expect(document.contains("\"\(section)\": [{"), "export section \(section) is empty")
                }
                // The same person known only by the hash Trackhub keeps for their Telegram user.
                let pHash = TelegramUserIdentity.externalID(userID: p.telegramUserID)
                let byHash = try await f.cli(["privacy", "export", "--tenant", SalesFixture.tenant, "--external-id", pHash, "--by", "test"])
                try byHash.requireSuccess("privacy export --external-id <telegram hash>")
                #expect(byHash.stdout.contains("\"telegram_bot_users\": [{") && byHash.stdout.contains(pHash))
                #expect(byHash.stdout.contains("\"webhooks\": [{") && byHash.stdout.contains(p.buyer.firstName), "the /start update, opened")
                #expect(byHash.stdout.contains("\"meta_events\": [{"), "the ViewContent sent for the /start")
                #expect(!byHash.stdout.contains(TelegramUserIdentity.externalID(userID: q.telegramUserID)) && !byHash.stdout.contains(q.buyer.firstName))

                // One more lead of the canary's waits unprocessed in the stream (the worker is
                // stopped) when the request starts: the erasure waits for it, then erases it too.
                _ = await f.worker("w1")?.terminate()
                let late = try await f.track("lead", ["event_id": "late-" + UUID().uuidString.prefix(8).lowercased(),
                                                      "user": ["email": p.buyer.email, "phone": p.buyer.phone]])
                #expect(late.status == 202)
                let eraseArguments = ["privacy", "erase", "--tenant", SalesFixture.tenant, "--email", p.buyer.email,
                                      "--phone", p.buyer.phone, "--cpf", p.cpf, "--telegram-user-id", String(p.telegramUserID), "--by", "test"]
                let erasing = Task { try await f.cli(eraseArguments, timeout: .seconds(150)) }
                try await Task.sleep(for: .seconds(2))
                #expect(try pg.query("SELECT count(*)::int AS n FROM privacy_requests WHERE kind = 'erase'").int(0, "n") == 0,
                        "the erasure waits for the stream")
                try await f.startWorker("w1")
                let erase = try await erasing.value
                try erase.requireSuccess("privacy erase")
                try await f.waitIdle()
                print("[privacy erase] \(erase.stdout.trimmingCharacters(in: .whitespacesAndNewlines))")

                let dump = try Self.pgDump(f)
                let redisText = try Self.redisText(redis)
                let aof = try Self.aofText(redis)
                #expect(try Self.hits(p, in: dump) == 0, "canary left in pg_dump")
                #expect(try Self.hits(p, in: redisText) == 0, "canary left in a Redis key")
                #expect(try Self.hits(p, in: aof) == 0, "canary left in the AOF")
                #expect(try Self.hits(q, in: dump) > 0 && Self.hits(q, in: redisText) > 0, "the other person's data stays")
                for hash in q.hashes.prefix(2) { #expect(dump.contains(hash), "the other person's hash \(hash.prefix(8))… stays") }
                before = Self.plusLateLead(before)
                #expect(try Self.counts(pg) == before, "rows and aggregates are unchanged (plus the late lead's touchpoint and ledger row)")

                let audit = try pg.query("SELECT kind, requested_by, counts::text AS counts FROM privacy_requests ORDER BY id")
                #expect(audit.count == 3)
                let auditText = try audit.indices.map { try audit.string($0, "counts") ?? "" }.joined()
                #expect(try Self.hits(p, in: auditText) == 0, "the audit names no identifier")
                #expect(auditText.contains("\"conversions\": 5") && auditText.contains("\"telegram_bot_users\": 1"), "\(auditText)")
                #expect(try pg.query("SELECT count(*)::int AS n FROM telegram_bot_users WHERE user_hash = $1",
                                     [.string(TelegramUserIdentity.externalID(userID: q.telegramUserID))]).int(0, "n") == 1, "the other person's link stays")

                // The ledger stays append-only outside an erasure.
                #expect(throws: PostgresError.self) { try pg.query("UPDATE dispatch_attempts SET payload = '{}'") }
                print("[privacy canary] clear values \(p.clear.count) + hashes \(p.hashes.count) searched in pg_dump (\(dump.utf8.count) bytes), \(redisText.utf8.count) bytes of Redis values, AOF \(aof.utf8.count) bytes: canary hits \(try Self.hits(p, in: dump))/\(try Self.hits(p, in: redisText))/\(try Self.hits(p, in: aof)) (dump/Redis/AOF); other person's hits \(try Self.hits(q, in: dump))/\(try Self.hits(q, in: redisText)); counts \(before)")
            }
        }

        static func hits(_ p: Person, in text: String) throws -> Int {
            let lower = text.lowercased()
            return (p.clear.map { $0.lowercased() } + p.hashes).filter { lower.contains($0) }.count
        }

        /// `counts` after one more lead: one touchpoint and one ledger row more.
        static func plusLateLead(_ counts: String) -> String {
            var parts = counts.split(separator: "/").map(String.init)
            guard parts.count == 7, let t = Int(parts[0]), let a = Int(parts[4]) else { return counts }
            parts[0] = String(t + 1)
            parts[4] = String(a + 1)
            return parts.joined(separator: "/")
        }

        /// Rows per table and the money, which an erasure must not change (ledger rows by outcome:
        /// the `in_flight` row each send writes first is not counted).
        static func counts(_ pg: PostgresConnection) throws -> String {
            let r = try pg.query("""
                SELECT (SELECT count(*) FROM touchpoints) || '/' || (SELECT count(*) FROM conversions) || '/' ||
                       (SELECT coalesce(sum(value), 0) FROM conversions) || '/' || (SELECT count(*) FROM matches) || '/' ||
                       (SELECT count(*) FROM dispatch_attempts WHERE outcome <> 'in_flight') || '/' || (SELECT count(*) FROM dead_letters) || '/' ||
                       (SELECT count(*) FROM webhook_inbox) AS c
                """)
            return try r.string(0, "c") ?? ""
        }

        static func pgDump(_ f: DispatchFixture) throws -> String {
            let out = f.dir + "/dump-\(UUID().uuidString.prefix(6)).sql"
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/pg_dump")
            p.arguments = ["--no-owner", "--file", out, f.databaseURL]
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw HarnessError("pg_dump exited \(p.terminationStatus)") }
            return try String(contentsOfFile: out, encoding: .utf8)
        }

        /// Every key's value, whatever its type.
        static func redisText(_ r: RedisConnection) throws -> String {
            var out = ""
            for key in try r.command(["KEYS", "*"]).elements.compactMap(\.text) {
                let type = try r.command(["TYPE", key]).text ?? ""
                let reply: RedisReply
                switch type {
                case "string": reply = try r.command(["GET", key])
                case "hash": reply = try r.command(["HGETALL", key])
                case "zset": reply = try r.command(["ZRANGE", key, "0", "-1"])
                case "set": reply = try r.command(["SMEMBERS", key])
                case "list": reply = try r.command(["LRANGE", key, "0", "-1"])
                case "stream": reply = try r.command(["XRANGE", key, "-", "+"])
                default: continue
                }
                out += key + " " + flatten(reply) + "\n"
            }
            return out
        }

        static func flatten(_ r: RedisReply) -> String {
            switch r {
            case .string(let bytes): String(decoding: bytes, as: UTF8.self)
            case .array(let items): items.map(flatten).joined(separator: " ")
            case .integer(let i): String(i)
            case .status(let s), .error(let s): s
            case .null: ""
            }
        }

        static func aofText(_ r: RedisConnection) throws -> String {
            let dir = try r.command(["CONFIG", "GET", "dir"]).elements.last?.text ?? ""
            let sub = try r.command(["CONFIG", "GET", "appenddirname"]).elements.last?.text ?? ""
            let path = dir + "/" + sub
            var out = ""
            for name in try FileManager.default.contentsOfDirectory(atPath: path) where name.contains(".aof") {
                out += String(decoding: try Data(contentsOf: URL(fileURLWithPath: path + "/" + name)), as: UTF8.self)
            }
            #expect(!out.isEmpty, "the test Redis writes an AOF")
            return out
        }
    }
}
