import Foundation
@_spi(PurposeOnlySeal) import TrackhubCore
import Testing
import TrackhubTesting

/// Issue 18 step 3: `dispatchd secrets rotate` re-seals every value at rest under the new key
/// and in the bound form (tenant and record in the associated data) while sales flow; killed
/// with -9 midway and run again it finishes with nothing lost; a second run re-seals nothing;
/// `secrets status` says when the old key and the purpose-only fallback are no longer needed;
/// the stored data is readable with the new key alone.
extension SalesEndToEndTests {
    @Suite("key rotation")
    struct KeyRotationEndToEnd {
        /// Stored bodies of another tenant planted in the purpose-only form, so the rotation
        /// runs long enough to be killed midway.
        static let plantedBodies = 4000

        @Test("rotate: purpose-only and k1 values in every place move to v2.k2 while sales flow; kill -9 midway, re-run: lost 0; a second run finds nothing; k1 removable once the streams are trimmed")
        func rotate() async throws {
            try await withSalesFixture("rotate") { s in
                let f = s.f
                let buyer = GatewayBuyer.unique("rotacao")
                var envelopes: [String] = []
                for _ in 0..<3 {
                    let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                    envelopes.append(try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: transaction, buyer: buyer, sck: nil)))
                }
                try await s.waitProcessed(envelopes)
                let pg = try f.postgres()
                defer { pg.close() }
                #expect(try pg.query("SELECT count(*)::int AS n FROM webhook_inbox WHERE body_sealed LIKE 'v2.k1.%'").int(0, "n") == 3)

                // An install upgraded from before binding: every value is purpose-only (v1), and a
                // v1 body copied onto other rows still opens there — what binding ends.
                try AlertTelegramChat.save(AlertTelegramChat(scope: SalesFixture.tenant, chatID: "-1001234", token: TelegramBotToken("123:rotation-alert")),
                                           keys: f.keys, connection: pg)
                try AdAccountStore.save(tenant: SalesFixture.tenant, account: "act_1234", token: "EAAB-rotation-ads", keys: f.keys, connection: pg)
                let downgraded = try Self.downgradeToPurposeOnly(pg, keys: f.keys)
                #expect(downgraded >= 3 + 2 + 1 + 1, "bodies, pixel tokens, the alert and ad tokens: \(downgraded)")
                let v1Body = try #require(try pg.query("SELECT body_sealed FROM webhook_inbox WHERE body_sealed LIKE 'v1.k1.%' LIMIT 1").string(0, "body_sealed"))
                try pg.query("""
                    INSERT INTO webhook_inbox (envelope_id, gateway, account, tenant_id, received_at, body_sealed, processed_at, outcome)
                    SELECT 'rotation-load-' || i, 'hotmart', 'main', 'rotation-load', now(), $1, now(), 'ignored: rotation test'
                    FROM generate_series(1, $2::int) AS i
                    """, [.string(v1Body), .int(Self.plantedBodies)])
                let before = try await f.cli(["secrets", "status"])
                try before.requireSuccess("secrets status before")
                #expect(before.stdout.contains("webhook_inbox.body_sealed\tk1\tpurpose-only\t\(Self.plantedBodies + 3)"), "\(before.stdout)")
                let purposeOnly = before.stdout.split(separator: "\n").first { $0.hasPrefix("purpose-only values: ") }
                #expect((purposeOnly?.dropFirst("purpose-only values: ".count).split(separator: " ").first.flatMap { Int($0) } ?? 0)
                        >= downgraded + Self.plantedBodies, "\(before.stdout)")

                // The operator puts a new key first and restarts the daemons (rolling): they seal
                // with k2 and open the purpose-only values while they last.
                let old = try String(contentsOfFile: f.keyFile, encoding: .utf8)
                try Self.writeKeyFile(f.keyFile, KeyRing.generateKeyLine(id: "k2") + "\n" + old)
                _ = await f.worker("w1")?.terminate()
                try await f.startWorker("w1")
                try await f.restartIngest()

                // Sales keep arriving while the rotation runs; it is killed (-9) midway.
                let load = Task { () throws -> [(envelope: String, purchase: String)] in
                    var sent: [(String, String)] = []
                    for i in 0..<20 {
                        let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                        let envelope = try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: transaction, buyer: GatewayBuyer.unique("carga\(i)"), sck: nil))
                        sent.append((envelope, "hotmart.\(transaction)"))
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    return sent
                }
                let killed = try DaemonProcess(binary: "dispatchd", arguments: ["secrets", "rotate", "--batch-size", "5"],
                                               environment: f.commonEnv, logPath: f.dir + "/rotate-killed.log")
                let bound = "SELECT count(*)::int AS n FROM webhook_inbox WHERE tenant_id = 'rotation-load' AND body_sealed LIKE 'v2.k2.%'"
                try await f.eventually("the first run re-sealed some planted bodies", timeout: .seconds(60), poll: .milliseconds(10)) {
                    try pg.query(bound).int(0, "n") ?? 0 >= 100
                }
                killed.kill9()
                let partial = try pg.query(bound).int(0, "n") ?? 0
                #expect(partial < Self.plantedBodies, "the rotation finished before it was killed; nothing was tested")
                let sales = try await load.value
                try await s.waitProcessed(sales.map(\.envelope))
                try await f.waitDelivered(sales.map(\.purchase), pixel: SalesFixture.pixel)

                let first = try await f.cli(["secrets", "rotate", "--batch-size", "100"], timeout: .seconds(120))
                try first.requireSuccess("secrets rotate after kill -9")
                let second = try await f.cli(["secrets", "rotate"])
                try second.requireSuccess("secrets rotate again")
                #expect(second.stdout.contains("done: pixels.access_token 0, gateway_accounts.secrets 0, gateway_accounts.api_token 0, ad_accounts.token 0, config_versions.secrets 0, alert_telegram_chats.bot_token 0, webhook_inbox.body_sealed 0"),
                        "\(second.stdout)")
                #expect(try pg.query(bound).int(0, "n") == Self.plantedBodies)

                let dump = try PrivacyErasure.pgDump(f)
                for stale in ["v1.k1.", "v1.k2.", "v2.k1."] { #expect(!dump.contains(stale), "a value sealed \(stale) is left in Postgres") }
                #expect(dump.contains("v2.k2."))
                let redis = try f.redis()
                defer { redis.close() }
                let snapshot = try redis.command(["GET", f.layout.configSnapshot]).text ?? ""
                #expect(snapshot.contains("v2.k2.") && !snapshot.contains(".k1."))

                // A sale after the rotation: the webhook verifies against the re-published
                // secrets, and a worker that loads the re-sealed pixel token sends it to Meta.
                _ = await f.worker("w1")?.terminate()
                try await f.startWorker("w1")
                let lastTransaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let last = try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: lastTransaction, buyer: GatewayBuyer.unique("depois"), sck: nil))
                try await s.waitProcessed([last])
                try await f.waitDelivered(["hotmart.\(lastTransaction)"], pixel: SalesFixture.pixel)

                // The stream entries ingestd sealed with k1 keep k1 referenced until they are trimmed;
                // none of them is purpose-only.
                let status = try await f.cli(["secrets", "status"])
                try status.requireSuccess("secrets status")
                #expect(status.stdout.contains("key k1: still seals"), "\(status.stdout)")
                #expect(status.stdout.contains("purpose-only values: none"), "\(status.stdout)")
                try await f.waitIdle()
                for stream in f.layout.allStreams { _ = try redis.command(["XTRIM", stream, "MAXLEN", "0"]) }
                // A bot update still waiting for its backend holds a k1 body: k1 stays until it is relayed.
                let forwardJobs = f.layout.prefix + ":tgfwd:jobs"
                _ = try redis.command(["HSET", forwardJobs, "acme_bot:1", #"{"body":"v2.k1.AAAA","tenant":"shop"}"#])
                let waiting = try await f.cli(["secrets", "status"])
                #expect(waiting.stdout.contains("redis.telegram_forward_jobs\tk1\tbound\t1") && waiting.stdout.contains("key k1: still seals 1 value(s)"),
                        "\(waiting.stdout)")
                _ = try redis.command(["DEL", forwardJobs])
                // A sale dead-lettered whole (its body sealed with k1) waits for `dlq replay`: k1 stays until it is replayed.
                try pg.query("""
                    INSERT INTO dead_letters (envelope_id, reason, detail, payload)
                    VALUES ('rotation-dead', 'unparseable', 'webhook body cannot be opened', $1)
                    """, [.string(#"{"id":"rotation-dead","webhook":{"body":"v2.k1.AAAA"}}"#)])
                let dead = try await f.cli(["secrets", "status"])
                #expect(dead.stdout.contains("dead_letters.payload\tk1\tbound\t1") && dead.stdout.contains("key k1: still seals 1 value(s)"),
                        "\(dead.stdout)")
                try pg.query("UPDATE dead_letters SET replayed_at = now() WHERE envelope_id = 'rotation-dead'")
                let after = try await f.cli(["secrets", "status"])
                #expect(after.stdout.contains("key k1: nothing refers to it"), "\(after.stdout)")

                // With k2 alone and the fallback refused, the stored values still open: the export
                // shows the buyer in clear, the alert and ad tokens open.
                let k2Only = String(try String(contentsOfFile: f.keyFile, encoding: .utf8).split(separator: "\n")[0])
                try Self.writeKeyFile(f.keyFile, k2Only + "\n")
                let export = try await f.cli(["privacy", "export", "--tenant", SalesFixture.tenant, "--email", buyer.email],
                                             env: ["TRACKHUB_SEAL_ACCEPT_PURPOSE_ONLY": "false"])
                try export.requireSuccess("privacy export with k2 only")
                #expect(export.stdout.components(separatedBy: buyer.email).count - 1 >= 3, "the three bodies opened with k2")
                var k2 = try KeyRing.load(path: f.keyFile)
                k2.acceptsPurposeOnly = false
                #expect(try AlertTelegramChat.load(keys: k2, connection: pg).chats[SalesFixture.tenant]?.token.secret == "123:rotation-alert")
                #expect(try AdAccountStore.load(tenant: SalesFixture.tenant, keys: k2, connection: pg).first?.token == "EAAB-rotation-ads")
                print("[key rotation] killed after \(partial) of \(Self.plantedBodies) planted bodies; re-run: "
                      + "\(first.stdout.split(separator: "\n").first { $0.hasPrefix("done:") } ?? ""); \(sales.count) sales during the rotation, all delivered")
            }
        }

        /// Rewrites every sealed value the fixture stored in Postgres into the purpose-only form
        /// an install upgraded from before issue 18 holds; returns how many.
        static func downgradeToPurposeOnly(_ pg: PostgresConnection, keys: KeyRing) throws -> Int {
            var n = 0
            /// One value, opened for its record and sealed again in the purpose-only form.
            func old(_ text: String?, _ context: SealContext) throws -> PostgresValue {
                n += 1
                return .string(try keys.sealPurposeOnly(try keys.open(Sealed(text: text ?? ""), for: context), for: context).text)
            }
            let inbox = try pg.query("SELECT id, envelope_id, tenant_id, body_sealed FROM webhook_inbox")
            for i in inbox.indices {
                let context = SealContext.webhookBody(tenant: try inbox.string(i, "tenant_id") ?? "", envelope: try inbox.string(i, "envelope_id") ?? "")
                try pg.query("UPDATE webhook_inbox SET body_sealed = $2 WHERE id = $1",
                             [.int(try inbox.int(i, "id") ?? 0), try old(try inbox.string(i, "body_sealed"), context)])
            }
            let pixels = try pg.query("SELECT id, tenant_id, access_token_ciphertext FROM pixels WHERE access_token_ciphertext IS NOT NULL")
            for i in pixels.indices {
                let id = try pixels.string(i, "id") ?? ""
                let context = SealContext.pixelToken(tenant: try pixels.string(i, "tenant_id") ?? "", pixel: id)
                try pg.query("UPDATE pixels SET access_token_ciphertext = $2 WHERE id = $1",
                             [.string(id), try old(try pixels.string(i, "access_token_ciphertext"), context)])
            }
            let accounts = try pg.query("SELECT gateway, account, tenant_id, secrets::text AS secrets FROM gateway_accounts")
            for i in accounts.indices {
                let gateway = try accounts.string(i, "gateway") ?? "", account = try accounts.string(i, "account") ?? ""
                let context = SealContext.gatewaySecret(tenant: try accounts.string(i, "tenant_id") ?? "", gateway: gateway, account: account)
                let list = try JSONDecoder().decode([String].self, from: Data((try accounts.string(i, "secrets") ?? "[]").utf8))
                let downgraded = try list.map { try keys.sealPurposeOnly(try keys.open(Sealed(text: $0), for: context), for: context).text }
                n += downgraded.count
                try pg.query("UPDATE gateway_accounts SET secrets = $3 WHERE gateway = $1 AND account = $2",
                             [.string(gateway), .string(account), try .jsonEncoded(downgraded)])
            }
            let alert = try pg.query("SELECT scope, bot_token_ciphertext FROM alert_telegram_chats")
            for i in alert.indices {
                let scope = try alert.string(i, "scope") ?? ""
                try pg.query("UPDATE alert_telegram_chats SET bot_token_ciphertext = $2 WHERE scope = $1",
                             [.string(scope), try old(try alert.string(i, "bot_token_ciphertext"), .alertBotToken(scope: scope))])
            }
            let ads = try pg.query("SELECT tenant_id, id, token_ciphertext FROM ad_accounts WHERE token_ciphertext IS NOT NULL")
            for i in ads.indices {
                let tenant = try ads.string(i, "tenant_id") ?? "", id = try ads.string(i, "id") ?? ""
                try pg.query("UPDATE ad_accounts SET token_ciphertext = $3 WHERE tenant_id = $1 AND id = $2",
                             [.string(tenant), .string(id), try old(try ads.string(i, "token_ciphertext"), .adAccountToken(tenant: tenant, account: id))])
            }
            return n
        }

        static func writeKeyFile(_ path: String, _ text: String) throws {
            try? FileManager.default.removeItem(atPath: path)
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw HarnessError("cannot write \(path)")
            }
        }
    }
}
