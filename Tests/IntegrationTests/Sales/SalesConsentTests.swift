import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Consent for sales (issue 18, item 4), end to end: a visitor who declined tracking on the
/// landing page of the click buys on Hotmart; the sale is stored, matched and counted, and its
/// Purchase is recorded `consent_blocked`, never sent. Another visitor's sale still goes out.
extension SalesEndToEndTests {
    @Suite("consent for sales")
    struct Consent {
        @Test("the click's landing page declined: the sale is stored and matched, its Purchase consent_blocked and never sent; a consenting buyer's is sent")
        func browserDeclineBlocksTheSale() async throws {
            try await withSalesFixture("consent") { s in
                let f = s.f
                let declined = try await s.click(to: .hotmart)
                let pageview = DispatchTestData.unique("pv")
                #expect(try await f.track("pageview", ["click_id": declined.id, "event_id": pageview, "consent": false]).status == 202)
                let accepted = try await s.click(to: .hotmart)
                try await f.waitDelivered([declined.id, accepted.id], pixel: SalesFixture.pixel)

                var purchases: [String] = []
                var envelopes: [String] = []
                for (name, click) in [("recusou", declined), ("aceitou", accepted)] {
                    let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                    envelopes.append(try await s.deliverAccepted(SalesWebhooks.hotmart(
                        transaction: transaction, buyer: SalesWebhooks.Buyer.unique(name), sck: click.id, src: click.id)))
                    purchases.append("hotmart.\(transaction)")
                }
                try await s.waitProcessed(envelopes)
                try await f.waitDelivered([purchases[1]], pixel: SalesFixture.pixel)
                try await f.waitIdle()

                #expect(s.accepted(eventID: purchases[0]).isEmpty, "the declined buyer's Purchase reached Meta")
                #expect(s.accepted(eventID: pageview).isEmpty, "the declined page event reached Meta")
                let blocked = try f.ledger(eventID: purchases[0])
                #expect(blocked.map(\.outcome) == ["consent_blocked"], "\(blocked)")
                #expect(blocked.first?.metaMessage?.contains("declined tracking on the landing page") == true, "\(blocked)")
                let transaction = String(purchases[0].dropFirst("hotmart.".count))
                #expect(try s.conversions(transaction: transaction).count == 1, "the sale itself is stored")
                #expect(try s.matches(transaction: transaction).map(\.method) == ["click_id"], "and tied to its click")
                #expect(try s.ledgerOutcomes(eventID: purchases[1]) == ["sent"])
                print("[sales consent] declined click → ledger \(blocked.map(\.outcome)), sent at Meta 0; consenting buyer → sent 1")
            }
        }
    }
}
