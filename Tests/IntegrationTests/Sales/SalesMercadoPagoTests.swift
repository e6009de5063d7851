import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Mercado Pago end to end: the webhook names a payment, a worker fetches it from the payments
/// API (a fake on loopback) with the account's access token, retrying when the API fails, and
/// the approved payment becomes one Purchase tied to its click.
extension SalesEndToEndTests {
    @Suite("Mercado Pago (fetched payments)")
    struct MercadoPago {
        @Test("notification → fetch (a 500 first, then 200, Bearer token) → one Purchase with the click's data; a repeat adds nothing")
        func fetchedAndMatched() async throws {
            try await withSalesFixture("mercadopago") { s in
                let f = s.f
                let click = try await s.click(to: .stripe)   // a landing page that hands th_cid to the checkout
                try await f.waitDelivered([click.id], pixel: SalesFixture.pixel)
                let buyer = SalesWebhooks.Buyer.unique("mp")
                let paymentID = String(Int64.random(in: 10_000_000_000...99_999_999_999))
                s.mercadoPago.setPayment(id: paymentID, json: SalesWebhooks.mercadoPagoPayment(id: paymentID, buyer: buyer, clickID: click.id))
                s.mercadoPago.failNext(1)

                var envelopes = [try await s.deliverAccepted(SalesWebhooks.mercadoPagoNotification(paymentID: paymentID))]
                try await s.waitProcessed(envelopes)
                // Mercado Pago notifies again (payment.updated for the same approved payment).
                envelopes.append(try await s.deliverAccepted(SalesWebhooks.mercadoPagoNotification(paymentID: paymentID)))
                try await s.waitProcessed(envelopes)
                let purchaseID = "mercadopago.\(paymentID)"
                try await f.waitDelivered([purchaseID], pixel: SalesFixture.pixel)
                try await f.waitIdle()

                let requests = s.mercadoPago.requests(paymentID: paymentID)
                #expect(requests.map(\.status) == [500, 200, 200], "one failure retried, then one fetch per notification")
                let unauthorized = requests.filter { !$0.authorized }.count
                #expect(unauthorized == 0, "every fetch carries the account's Bearer token")
                let purchase = try SalesChecks.onePurchase(s, purchaseID)
                let clickPageView = try #require(f.meta.acceptedEvents().first { $0.eventID == click.id })
                #expect(purchase["user_data"]?["fbc"]?.stringValue == clickPageView["user_data"]?["fbc"]?.stringValue)
                #expect(purchase["user_data"]?["client_user_agent"]?.stringValue == SalesFixture.clickUserAgent)
                SalesChecks.carriesBuyer(purchase, buyer)
                SalesChecks.customData(purchase, value: 1200.5, currency: "BRL", orderID: paymentID)
                #expect(try s.matches(transaction: paymentID).map(\.method) == ["click_id"])
                let ledger = try s.ledgerOutcomes(eventID: purchaseID)
                #expect(ledger == ["sent", "skipped_duplicate"])
                print("[sales mercadopago] fetches=\(requests.map(\.status)) ledger=\(ledger)")
            }
        }

        @Test("a payment the API does not know (404) is dead-lettered with the reason, nothing is sent, and the worker goes on")
        func unknownPayment() async throws {
            try await withSalesFixture("mercadopago-404") { s in
                let f = s.f
                let paymentID = String(Int64.random(in: 10_000_000_000...99_999_999_999))
                let envelope = try await s.deliverAccepted(SalesWebhooks.mercadoPagoNotification(paymentID: paymentID))
                try await s.waitProcessed([envelope])
                let inbox = try #require(try s.inbox(envelopeID: envelope))
                #expect(inbox.outcome?.contains("HTTP 404") == true, "\(inbox)")
                #expect(s.mercadoPago.requests(paymentID: paymentID).map(\.status) == [404], "404 is final: not retried")
                #expect(f.meta.acceptedEvents(pixel: SalesFixture.pixel).isEmpty)

                // The next sale still goes through.
                let buyer = SalesWebhooks.Buyer.unique("mp2")
                let nextID = String(Int64.random(in: 10_000_000_000...99_999_999_999))
                s.mercadoPago.setPayment(id: nextID, json: SalesWebhooks.mercadoPagoPayment(id: nextID, buyer: buyer, clickID: nil))
                try await s.deliverAccepted(SalesWebhooks.mercadoPagoNotification(paymentID: nextID))
                try await f.waitDelivered(["mercadopago.\(nextID)"], pixel: SalesFixture.pixel)
            }
        }
    }
}
