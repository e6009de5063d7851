import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Issue 18 step 2: `dispatchd secrets rotate` re-seals every value at rest under the new key
/// while the workers run, a second run re-seals nothing, `secrets status` says when the old key
/// is no longer referenced, and the stored data is readable with the new key alone.
extension SalesEndToEndTests {
    @Suite("key rotation")
    struct KeyRotationEndToEnd {
        @Test("rotate: every Postgres value and the snapshot move to k2; re-running finds nothing; k1 removable once the streams are trimmed")
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
                #expect(try pg.query("SELECT count(*)::int AS n FROM webhook_inbox WHERE body_sealed LIKE 'v1.k1.%'").int(0, "n") == 3)

                // The operator puts a new key first and restarts the workers (rolling).
                let old = try String(contentsOfFile: f.keyFile, encoding: .utf8)
                try Self.writeKeyFile(f.keyFile, KeyRing.generateKeyLine(id: "k2") + "\n" + old)
                _ = await f.worker("w1")?.terminate()
                try await f.startWorker("w1")

                let first = try await f.cli(["secrets", "rotate", "--batch-size", "1"])
                try first.requireSuccess("secrets rotate")
                #expect(first.stdout.contains("webhook_inbox.body_sealed 3"), "\(first.stdout)")
                #expect(first.stdout.contains("pixels.access_token 2"), "\(first.stdout)")
                let second = try await f.cli(["secrets", "rotate"])
                try second.requireSuccess("secrets rotate again")
                #expect(second.stdout.contains("done: pixels.access_token 0, gateway_accounts.secrets 0, gateway_accounts.api_token 0, ad_accounts.token 0, config_versions.secrets 0, webhook_inbox.body_sealed 0"),
                        "\(second.stdout)")

                let dump = try PrivacyErasure.pgDump(f)
                #expect(!dump.contains("v1.k1."), "a value sealed with k1 is left in Postgres")
                #expect(dump.contains("v1.k2."))
                let redis = try f.redis()
                defer { redis.close() }
                #expect(!(try redis.command(["GET", f.layout.configSnapshot]).text ?? "v1.k1.").contains("v1.k1."))

                // The stream entries ingestd sealed with k1 keep k1 referenced until they are trimmed.
                let status = try await f.cli(["secrets", "status"])
                try status.requireSuccess("secrets status")
                #expect(status.stdout.contains("key k1: still seals"), "\(status.stdout)")
                try await f.waitIdle()
                for stream in f.layout.allStreams { _ = try redis.command(["XTRIM", stream, "MAXLEN", "0"]) }
                let after = try await f.cli(["secrets", "status"])
                #expect(after.stdout.contains("key k1: nothing refers to it"), "\(after.stdout)")

                // With k2 alone, the stored bodies still open: the export shows the buyer in clear.
                let k2Only = String(try String(contentsOfFile: f.keyFile, encoding: .utf8).split(separator: "\n")[0])
                try Self.writeKeyFile(f.keyFile, k2Only + "\n")
                let export = try await f.cli(["privacy", "export", "--tenant", SalesFixture.tenant, "--email", buyer.email])
                try export.requireSuccess("privacy export with k2 only")
                #expect(export.stdout.components(separatedBy: buyer.email).count - 1 >= 3, "the three bodies opened with k2")
                print("[key rotation] \(first.stdout.split(separator: "\n").first { $0.hasPrefix("done:") } ?? "")")
            }
        }

        static func writeKeyFile(_ path: String, _ text: String) throws {
            try? FileManager.default.removeItem(atPath: path)
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw HarnessError("cannot write \(path)")
            }
        }
    }
}
