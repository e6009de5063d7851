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

        @Test("/go with utm_source=%00x and a signed webhook with ?note=%00x: both stored and processed, nothing dead-lettered")
        func nulInQueryStrings() async throws {
            try await withSalesFixture("nulquery") { s in
                let f = s.f
                let r = try await RawHTTP.get(port: f.ingestPort, "/go/\(DispatchFixture.slugA)?utm_source=%00x&utm_%00=y&gclid=g%00",
                                              headers: [("User-Agent", "Mozilla/5.0 (nul query test)")])
                #expect(r.status == 302)
                let cookie = try #require(r.header("Set-Cookie"))
                let click = String(cookie.dropFirst("th_cid=".count).prefix { $0 != ";" })

                let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let signed = SalesWebhooks.hotmart(transaction: transaction, buyer: .unique("nulq"), sck: nil)
                let separator = signed.target.contains("?") ? "&" : "?"
                let noted = SalesWebhooks.Delivery(target: signed.target + separator + "note=%00x", headers: signed.headers, body: signed.body)
                let envelope = try await s.deliverAccepted(noted)
                try await s.waitProcessed([envelope])
                try await f.waitDelivered([click, "hotmart.\(transaction)"], pixel: SalesFixture.pixel)
                try await f.waitIdle()

                let conn = try f.postgres()
                defer { conn.close() }
                let touch = try conn.query("SELECT utm::text AS utm FROM touchpoints WHERE click_id = $1 AND kind = 'click'", [.string(click)])
                let utm = try #require(try touch.string(0, "utm"))
                #expect(utm.contains("\"utm_source\": \"\u{FFFD}x\"") && utm.contains("\"utm_\u{FFFD}\": \"y\""), "\(utm)")
                let inbox = try conn.query("SELECT query::text AS q FROM webhook_inbox WHERE envelope_id = $1", [.string(envelope)])
                // Hotmart's parser reads no query parameter: none is kept (docs/API.md).
                #expect(try inbox.string(0, "q") == "[]")
                #expect(try f.deadLetters().isEmpty)
            }
        }

        @Test("envelopes already in a stream with NULs (written before ingestd replaced them): delivered, stored with U+FFFD")
        func nulInStreamEnvelopes() async throws {
            try await withDispatchFixture("nulstream") { f in
                let now = Date()
                let clickID = ClickID.generate(now: now)
                let ms = Int64(now.timeIntervalSince1970 * 1000)
                let click = Envelope(
                    id: clickID, kind: .click, receivedAt: ms, tenant: DispatchFixture.tenantA,
                    click: .init(slug: DispatchFixture.slugA, pixel: DispatchFixture.pixelA, clickId: clickID, ip: "203.0.113.9",
                                 userAgent: "Mozilla/5.0 \u{0}agent", referrer: "https://ref.example/\u{0}", utm: ["utm_\u{0}": "v\u{0}"],
                                 fbclid: nil, gclid: "g\u{0}", ttclid: "t\u{0}", fbc: nil, fbp: nil, destination: "https://pay.hotmart.com/X1234"))
                let lead = Envelope(
                    id: ClickID.generate(now: now), kind: .track, receivedAt: ms, tenant: DispatchFixture.tenantA,
                    track: .init(event: "lead", sessionId: "s\u{0}1", eventId: "evt-\u{0}-1", pageUrl: "https://lp.shop.example/\u{0}",
                                 referrer: "https://ref.example/\u{0}", ip: "203.0.113.10", userAgent: "UA\u{0}", contentIds: ["\u{0}x", "sku-2"]))
                for e in [click, lead] {
                    let text = String(decoding: try e.encoded(), as: UTF8.self)
                    #expect(text.contains("\\u0000"))  // the envelope profile keeps the NUL in transit
                    try f.xadd(.normal, fields: ["e", text])
                }
                try await f.waitDelivered([clickID, "evt-\u{FFFD}-1"], pixel: DispatchFixture.pixelA)
                try await f.waitIdle()
                #expect(try f.deadLetters().isEmpty)
                let conn = try f.postgres()
                defer { conn.close() }
                let rows = try conn.query("SELECT user_agent, referrer, page_url, session_id, event_id, utm::text AS utm FROM touchpoints ORDER BY id")
                #expect(rows.count == 2)
                for i in rows.indices {
                    for column in ["user_agent", "referrer", "page_url", "session_id", "event_id", "utm"] {
                        if let v = try rows.string(i, column) { #expect(!v.utf8.contains(0) && !v.contains("\\u0000"), "\(column): \(v)") }
                    }
                }
                #expect(try rows.string(0, "user_agent") == "Mozilla/5.0 \u{FFFD}agent")
                let sent = f.meta.acceptedEvents(pixel: DispatchFixture.pixelA).first { $0.eventID == "evt-\u{FFFD}-1" }
                #expect(sent != nil)
            }
        }
    }
}
