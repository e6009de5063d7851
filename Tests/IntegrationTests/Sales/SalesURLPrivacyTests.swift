import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// No personal data from URLs (issue 14): a canary e-mail, phone and token in a click's
/// Referer, a `/track` page_url and referrer, and a webhook's query string are found nowhere
/// afterwards — not in Redis, not in Postgres, not at Meta — while everything is delivered.
extension SalesEndToEndTests {
    @Suite("personal data in URLs")
    struct URLPrivacy {
        static let email = "canary.url.person@example.com"
        static let phone = "5511912345678"
        static let token = "tok_canary_url_5e4d"

        @Test("a canary in the Referer, page_url, referrer and a webhook query: delivered, and the canary is nowhere")
        func canaryNowhere() async throws {
            try await withSalesFixture("urlcanary") { s in
                let f = s.f
                let pii = "email=\(Self.email)&tel=%2B\(Self.phone)&token=\(Self.token)"
                let go = try await RawHTTP.get(port: f.ingestPort, "/go/\(DispatchFixture.slugA)?utm_source=fb&fbclid=IwAR-canary",
                                               headers: [("User-Agent", "Mozilla/5.0 (canary)"),
                                                         ("Referer", "https://lp.shop.example/obrigado?\(pii)&utm_medium=cpc")])
                #expect(go.status == 302)
                let cookie = try #require(go.header("Set-Cookie"))
                let click = String(cookie.dropFirst("th_cid=".count).prefix { $0 != ";" })

                let leadID = "lead-canary-" + UUID().uuidString.prefix(8)
                let lead = try await f.track("lead", [
                    "click_id": click, "event_id": leadID,
                    "page_url": "https://lp.shop.example/obrigado?\(pii)&utm_campaign=c1",
                    "referrer": "https://\(Self.token)@ref.example/?\(pii)#access_token=\(Self.token)",
                ])
                #expect(lead.status == 202)

                let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let signed = SalesWebhooks.hotmart(transaction: transaction, buyer: .unique("urlcanary"), sck: click)
                let separator = signed.target.contains("?") ? "&" : "?"
                let envelope = try await s.deliverAccepted(.init(target: signed.target + separator + pii, headers: signed.headers, body: signed.body))
                try await s.waitProcessed([envelope])
                try await f.waitDelivered([click, leadID, "hotmart.\(transaction)"], pixel: SalesFixture.pixel)
                try await f.waitIdle()

                let canaries = [Self.email, Self.phone, Self.token]
                let conn = try f.postgres()
                defer { conn.close() }
                for table in ["touchpoints", "webhook_inbox", "conversions", "dispatch_attempts", "dead_letters", "dedupe_registry"] {
                    for canary in canaries {
                        let rows = try conn.query("SELECT count(*)::int AS n FROM \(table) t WHERE t::text LIKE $1", [.string("%\(canary)%")])
                        #expect(try rows.int(0, "n") == 0, "\(canary) in \(table)")
                    }
                }
                let page = try conn.query("SELECT page_url, referrer FROM touchpoints WHERE event_id = $1", [.string(leadID)])
                #expect(try page.string(0, "page_url") == "https://lp.shop.example/obrigado?utm_campaign=c1")
                #expect(try page.string(0, "referrer") == "https://ref.example/")

                let sent = f.meta.acceptedEvents().map { "\($0.json)" }.joined(separator: "\n")
                for canary in canaries { #expect(!sent.contains(canary), "\(canary) sent to Meta") }
                #expect(sent.contains("utm_campaign=c1"))

                let redis = try f.redis()
                for stream in f.layout.allStreams {
                    let text = "\(try redis.command(["XRANGE", stream, "-", "+"]))"
                    for canary in canaries { #expect(!text.contains(canary), "\(canary) in \(stream)") }
                }
                print("[url canary] places checked: 6 tables, \(f.meta.acceptedEvents().count) events at Meta, \(f.layout.allStreams.count) streams; found 0")
            }
        }
    }
}
