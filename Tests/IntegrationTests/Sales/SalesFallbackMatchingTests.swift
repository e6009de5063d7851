import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// The weaker matching methods, after the click id: a `/t.js` session id carried back by the
/// checkout, and the scored IP / user agent / time match (docs/MATCHING.md).
extension SalesEndToEndTests {
    @Suite("session and scored matching")
    struct FallbackMatching {
        @Test("a session id carried in sck matches the page event of that session, and its click lends fbc/fbp/UA")
        func matchedBySession() async throws {
            try await withSalesFixture("session") { s in
                let f = s.f
                let click = try await s.click(to: .hotmart)
                let session = "sid-" + DispatchTestData.unique("s")
                let viewID = DispatchTestData.unique("view")
                #expect(try await f.track("pageview", ["click_id": click.id, "session_id": session, "event_id": viewID,
                                                       "page_url": "https://lp.shop.example/oferta"],
                                          userAgent: SalesFixture.clickUserAgent).status == 202)
                try await f.waitDelivered([click.id, viewID], pixel: SalesFixture.pixel)

                // The landing page passed its session id (not the click id) to the checkout.
                let buyer = SalesWebhooks.Buyer.unique("session")
                let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let envelope = try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: transaction, buyer: buyer, sck: session))
                try await s.waitProcessed([envelope])
                try await f.waitDelivered(["hotmart.\(transaction)"], pixel: SalesFixture.pixel)

                let purchase = try SalesChecks.onePurchase(s, "hotmart.\(transaction)")
                let clickPageView = try #require(f.meta.acceptedEvents().first { $0.eventID == click.id })
                #expect(purchase["user_data"]?["fbc"]?.stringValue == clickPageView["user_data"]?["fbc"]?.stringValue)
                #expect(purchase["user_data"]?["client_user_agent"]?.stringValue == SalesFixture.clickUserAgent)
                #expect(purchase.actionSource == "website")
                let matches = try s.matches(transaction: transaction)
                #expect(matches.map(\.method) == ["session_id"] && matches.first?.score == 0.95, "\(matches)")
                #expect(matches.first?.touchpointKind == "pageview" && matches.first?.touchpointClickID == click.id)
                #expect(try s.ledgerOutcomes(eventID: "hotmart.\(transaction)") == ["sent"], "a session id is not a click id: no hold")
            }
        }

        @Test("no id at all: the buyer's IP (from the gateway) and a recent click from it match with a stored score; another network does not")
        func matchedByScore() async throws {
            try await withSalesFixture("scored") { s in
                let f = s.f
                // A network no other test uses, so the tenant's other clicks are no candidates.
                let net = "198.18.\(Int.random(in: 0...255))"
                let click = try await s.click(to: .kiwify, forwardedFor: "\(net).77")
                try await f.waitDelivered([click.id], pixel: SalesFixture.pixel)

                var buyer = SalesWebhooks.Buyer.unique("scored")
                buyer.ip = "\(net).77"
                let order = UUID().uuidString.lowercased()
                var envelopes = [try await s.deliverAccepted(SalesWebhooks.kiwify(orderID: order, buyer: buyer, sck: nil))]
                // A second buyer from another network: below the threshold, sent unmatched.
                var stranger = SalesWebhooks.Buyer.unique("stranger")
                stranger.ip = "198.19.\(Int.random(in: 0...255)).9"
                let otherOrder = UUID().uuidString.lowercased()
                envelopes.append(try await s.deliverAccepted(SalesWebhooks.kiwify(orderID: otherOrder, buyer: stranger, sck: nil)))
                try await s.waitProcessed(envelopes)
                try await f.waitDelivered(["kiwify.\(order)", "kiwify.\(otherOrder)"], pixel: SalesFixture.pixel)

                let purchase = try SalesChecks.onePurchase(s, "kiwify.\(order)")
                let clickPageView = try #require(f.meta.acceptedEvents().first { $0.eventID == click.id })
                #expect(clickPageView["user_data"]?["client_ip_address"]?.stringValue == "\(net).77", "the click's IP from X-Forwarded-For")
                #expect(purchase["user_data"]?["fbc"]?.stringValue == clickPageView["user_data"]?["fbc"]?.stringValue)
                #expect(purchase["user_data"]?["client_user_agent"]?.stringValue == SalesFixture.clickUserAgent)
                let matches = try s.matches(transaction: order)
                // Same address (0.6) plus a click seconds old (≈0.15): ≈0.75.
                #expect(matches.map(\.method) == ["scored"] && matches.first?.touchpointClickID == click.id, "\(matches)")
                #expect((matches.first?.score ?? 0) >= 0.74 && (matches.first?.score ?? 1) <= 0.75)
                #expect(try s.matches(transaction: otherOrder).isEmpty)
                let unmatched = try SalesChecks.onePurchase(s, "kiwify.\(otherOrder)")
                #expect(unmatched["user_data"]?["fbc"] == nil && unmatched.actionSource == "system_generated")
                // `dispatchd status` shows match quality: one scored, one unmatched, nothing held.
                let status = try await f.cli(["status"])
                try status.requireSuccess("dispatchd status")
                let sales = status.stdout.components(separatedBy: "SALES (last 24 h, by match method)").last?
                    .components(separatedBy: "PIXELS").first ?? ""
                #expect(sales.contains("scored        1") && sales.contains("none          1"), "\(status.stdout)")
                #expect(sales.contains("waiting for a late click: 0"), "\(status.stdout)")
                print("[sales scored] match=\(matches.first?.method ?? "-") score=\(matches.first?.score ?? -1)")
            }
        }
    }
}
