import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Postgres stores no U+0000 (not in text, not as `\u0000` in jsonb: SQLSTATE 22P05). A NUL that
/// arrives in a click's utm value or a gateway's tracking field must not fail the row — which
/// would dead-letter the click or the sale — but be stored as U+FFFD (issue 14).
extension SalesEndToEndTests {
    @Suite("NUL in stored values")
    struct NUL {
        @Test("a NUL in utm_source and in a Hotmart sck: the click and the sale are stored and sent, the NUL as U+FFFD")
        func nulIsReplaced() async throws {
            try await withSalesFixture("nul") { s in
                let f = s.f
                let r = try await RawHTTP.get(port: f.ingestPort, "/go/\(DispatchFixture.slugA)?utm_source=a%00b&fbclid=IwAR-nul",
                                              headers: [("User-Agent", "Mozilla/5.0 (nul test)")])
                #expect(r.status == 302)
                let cookie = try #require(r.header("Set-Cookie"))
                let click = String(cookie.dropFirst("th_cid=".count).prefix { $0 != ";" })
                try await f.waitDelivered([click], pixel: DispatchFixture.pixelA)

                let buyer = SalesWebhooks.Buyer.unique("nul")
                let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let envelope = try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: transaction, buyer: buyer, sck: "ref\u{0}x"))
                try await s.waitProcessed([envelope])
                try await f.waitDelivered(["hotmart.\(transaction)"], pixel: SalesFixture.pixel)
                try await f.waitIdle()

                let conn = try f.postgres()
                defer { conn.close() }
                let utm = try conn.query("SELECT utm->>'utm_source' AS v FROM touchpoints WHERE click_id = $1 AND kind = 'click'", [.string(click)])
                #expect(try utm.string(0, "v") == "a\u{FFFD}b")
                let tracking = try conn.query("SELECT tracking->>'sck' AS v FROM conversions WHERE transaction_id = $1", [.string(transaction)])
                #expect(try tracking.string(0, "v") == "ref\u{FFFD}x")
                #expect(try f.deadLetters().isEmpty)
            }
        }
    }
}
