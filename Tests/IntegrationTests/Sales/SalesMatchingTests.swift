import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Sales without a usable click id: matched by the buyer's email on an earlier touchpoint, or
/// sent unmatched with the buyer's own data; and deliveries that are not sales.
extension SalesEndToEndTests {
    @Suite("matching without a click id")
    struct Matching {
        @Test("no click id: the buyer's email on an earlier /track lead matches; the Purchase carries that touchpoint's fbp/IP/UA")
        func matchedByEmail() async throws {
            try await withSalesFixture("email") { s in
                let f = s.f
                let buyer = SalesWebhooks.Buyer.unique("lead")
                let leadFbp = "fb.1.1726851990123.987654321"
                let leadUA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5) sales-test-lead"
                let leadID = DispatchTestData.unique("lead")
                // A lead form on the landing page (no click id: the visitor came from elsewhere),
                // the email typed with capitals and spaces.
                let lead = try await f.track("lead", ["session_id": "s-\(leadID)", "event_id": leadID,
                                                      "page_url": "https://lp.shop.example/aula-gratis?utm_source=ig", "fbp": leadFbp,
                                                      "user": ["email": "  " + buyer.email.uppercased() + " "]],
                                             userAgent: leadUA)
                #expect(lead.status == 202)
                try await f.waitDelivered([leadID], pixel: SalesFixture.pixel)

                // Later the person buys; the checkout carried no click id.
                let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let envelope = try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: transaction, buyer: buyer, sck: nil))
                let purchaseID = "hotmart.\(transaction)"
                try await s.waitProcessed([envelope])
                try await f.waitDelivered([purchaseID], pixel: SalesFixture.pixel)
                try await f.waitIdle()

                let purchase = try SalesChecks.onePurchase(s, purchaseID)
                let user = purchase["user_data"]
                #expect(user?["fbp"]?.stringValue == leadFbp)
                #expect(user?["client_ip_address"]?.stringValue == "127.0.0.1")
                #expect(user?["client_user_agent"]?.stringValue == leadUA)
                #expect(user?["fbc"] == nil, "the lead had no click, so there is no fbc")
                #expect(purchase.actionSource == "website")
                #expect(purchase["event_source_url"]?.stringValue == "https://lp.shop.example/aula-gratis")
                SalesChecks.carriesBuyer(purchase, buyer)

                let matches = try s.matches(transaction: transaction)
                #expect(matches.count == 1, "\(matches)")
                #expect(matches.first?.method == "email" && matches.first?.score == 0.9)
                #expect(matches.first?.touchpointKind == "lead" && matches.first?.touchpointClickID == nil)
                #expect(try s.ledgerOutcomes(eventID: purchaseID) == ["sent"])
                #expect(f.meta.acceptedEvents().count == 2, "the lead and the Purchase")
                print("[sales email] accepted=\(f.meta.acceptedEvents().count) match=\(matches.first?.method ?? "-") score=\(matches.first?.score ?? -1)")

                // A second buyer's lead carries the click id of the OTHER tenant's link (the
                // th_cid cookie lives on Trackhub's domain, shared by every tenant): the email
                // match still holds, but that foreign click lends nothing to this tenant's Purchase.
                let foreignClick = try await f.click(DispatchFixture.slugB, fbclid: "IwAR-foreign_2")
                try await f.waitDelivered([foreignClick], pixel: DispatchFixture.pixelB)
                let second = SalesWebhooks.Buyer.unique("lead2")
                let secondLeadID = DispatchTestData.unique("lead")
                #expect(try await f.track("lead", ["click_id": foreignClick, "event_id": secondLeadID,
                                                   "page_url": "https://lp.shop.example/aula-gratis", "fbp": leadFbp,
                                                   "user": ["email": second.email]], userAgent: leadUA).status == 202)
                try await f.waitDelivered([secondLeadID], pixel: SalesFixture.pixel)
                let secondTransaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let secondEnvelope = try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: secondTransaction, buyer: second, sck: nil))
                try await s.waitProcessed([secondEnvelope])
                try await f.waitDelivered(["hotmart.\(secondTransaction)"], pixel: SalesFixture.pixel)
                let secondPurchase = try SalesChecks.onePurchase(s, "hotmart.\(secondTransaction)")
                #expect(secondPurchase["user_data"]?["fbc"] == nil, "no fbc from another tenant's click")
                #expect(secondPurchase["user_data"]?["fbp"]?.stringValue == leadFbp)
                #expect(secondPurchase["user_data"]?["client_user_agent"]?.stringValue == leadUA)
                #expect(try s.matches(transaction: secondTransaction).map(\.method) == ["email"])
            }
        }

        @Test("a click id packed into a longer carrier value (utm_content `criativo_12|<id>`) still matches by click id")
        func packedClickID() async throws {
            try await withSalesFixture("packed") { s in
                let f = s.f
                let buyer = SalesWebhooks.Buyer.unique("packed")
                let click = try await s.click(to: .eduzz)
                try await f.waitDelivered([click.id], pixel: SalesFixture.pixel)
                // The landing page in between forwarded the creative's name with the click id.
                let invoice = String(UInt64.random(in: 10_000_000...99_999_999))
                let envelope = try await s.deliverAccepted(SalesWebhooks.eduzz(invoiceID: invoice, buyer: buyer,
                                                                                utmContent: "criativo_12|\(click.id)"))
                try await s.waitProcessed([envelope])
                try await f.waitDelivered(["eduzz.\(invoice)"], pixel: SalesFixture.pixel)
                let purchase = try SalesChecks.onePurchase(s, "eduzz.\(invoice)")
                let clickPageView = try #require(f.meta.acceptedEvents().first { $0.eventID == click.id })
                SalesChecks.carriesClick(purchase, clickPageView: clickPageView, sourceURL: "https://sun.eduzz.com/2113458")
                let matches = try s.matches(transaction: invoice)
                #expect(matches.count == 1 && matches.first?.method == "click_id" && matches.first?.touchpointClickID == click.id,
                        "\(matches)")
            }
        }

        @Test("unmatched sales (no click id; another tenant's click id) are still sent, with the buyer's own data, as system_generated")
        func unmatchedSale() async throws {
            try await withSalesFixture("unmatched") { s in
                let f = s.f
                // A click on the other tenant's link: its id must never lend that click's data
                // to a sale of this tenant.
                let foreignClick = try await f.click(DispatchFixture.slugB, fbclid: "IwAR-foreign_1")
                try await f.waitDelivered([foreignClick], pixel: DispatchFixture.pixelB)

                var buyers: [SalesWebhooks.Buyer] = []
                var transactions: [String] = []
                var envelopes: [String] = []
                for sck in [nil, foreignClick] {
                    let buyer = SalesWebhooks.Buyer.unique("nobody")
                    let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                    envelopes.append(try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: transaction, buyer: buyer, sck: sck)))
                    buyers.append(buyer)
                    transactions.append(transaction)
                }
                try await s.waitProcessed(envelopes)
                try await f.waitDelivered(transactions.map { "hotmart.\($0)" }, pixel: SalesFixture.pixel)
                try await f.waitIdle()

                for (buyer, transaction) in zip(buyers, transactions) {
                    let purchase = try SalesChecks.onePurchase(s, "hotmart.\(transaction)")
                    let user = purchase["user_data"]
                    #expect(purchase.actionSource == "system_generated")
                    #expect(purchase["event_source_url"] == nil)
                    #expect(user?["fbc"] == nil && user?["fbp"] == nil && user?["client_user_agent"] == nil, "\(user?.description ?? "-")")
                    #expect(user?["client_ip_address"]?.stringValue == buyer.ip, "the buyer's IP as the gateway saw it")
                    SalesChecks.carriesBuyer(purchase, buyer)
                    #expect(SalesExpect.hashes(purchase, "fn") == [SalesExpect.sha256("mariana")])
                    #expect(SalesExpect.hashes(purchase, "ln") == [SalesExpect.sha256("souzalima")])
                    #expect(SalesExpect.hashes(purchase, "st") == [SalesExpect.sha256("sp")])
                    #expect(SalesExpect.hashes(purchase, "country") == [SalesExpect.sha256("br")])
                    #expect(SalesExpect.hashes(purchase, "external_id") == [SalesExpect.sha256("12345678909")])
                    #expect(!SalesExpect.hashes(purchase, "zp").isEmpty && !SalesExpect.hashes(purchase, "ct").isEmpty)
                    SalesChecks.customData(purchase, value: 197, currency: "BRL", orderID: transaction)
                    #expect(try s.conversions(transaction: transaction).count == 1)
                    #expect(try s.matches(transaction: transaction).isEmpty, "unmatched: no matches row")
                    #expect(try s.ledgerOutcomes(eventID: "hotmart.\(transaction)") == ["sent"])
                }
                #expect(f.meta.acceptedEvents(pixel: SalesFixture.pixel).count == 2)
                #expect(f.meta.acceptedEvents(pixel: DispatchFixture.pixelB).map(\.eventID) == [foreignClick])
                print("[sales unmatched] purchases=\(transactions.count) matches=0 action_source=system_generated")
            }
        }

        @Test("a gateway's test delivery (Kiwify \"Testar webhook\", Stripe test mode) is recorded but never reaches a live pixel")
        func testDeliveries() async throws {
            try await withSalesFixture("testdelivery") { s in
                let f = s.f
                let order = UUID().uuidString.lowercased()
                let kiwify = try await s.deliverAccepted(SalesWebhooks.kiwify(
                    orderID: order, buyer: SalesWebhooks.Buyer(email: "johndoe@example.com", firstName: "John", lastName: "Doe"),
                    sck: nil, cents: 5073))
                let intent = "pi_3Qtest" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16)
                let stripe = try await s.deliverAccepted(SalesWebhooks.stripeCheckoutCompleted(
                    paymentIntent: intent, buyer: .unique("stripe-test"), clickID: nil, livemode: false))
                try await s.waitProcessed([kiwify, stripe])
                try await f.waitIdle()

                for (envelope, transaction) in [(kiwify, order), (stripe, intent)] {
                    let outcome = try s.inbox(envelopeID: envelope)?.outcome ?? "-"
                    #expect(outcome.hasPrefix("conversion approved") && outcome.contains("test delivery"), "\(outcome)")
                    #expect(try s.conversions(transaction: transaction).map(\.status) == ["approved"], "recorded")
                }
                #expect(f.meta.requests().isEmpty, "nothing sent to the live pixel")
                #expect(try f.ledger().isEmpty && f.deadLetters().isEmpty)
            }
        }

        @Test("a delivery that is not a sale (unknown event type) → 200 at ingestd, stored, ignored with a reason, nothing at Meta")
        func ignoredEventType() async throws {
            try await withSalesFixture("ignored") { s in
                let f = s.f
                let buyer = SalesWebhooks.Buyer.unique("switch")
                let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let hotmart = SalesWebhooks.hotmart(event: "SWITCH_PLAN", transaction: transaction, buyer: buyer, sck: nil)
                let r = try await s.deliver(hotmart)
                #expect(r.status == 200, "\(r.status) \(r.text)")
                let hotmartEnvelope = try #require(r.json?["id"] as? String)
                let stripe = SalesWebhooks.stripeSigned(["id": "evt_ignored1", "object": "event", "type": "customer.created",
                                                         "created": Int64(Date().timeIntervalSince1970), "livemode": true,
                                                         "data": ["object": ["id": "cus_X", "object": "customer", "email": buyer.email]]],
                                                        secret: SalesFixture.secret(.stripe))
                let stripeEnvelope = try await s.deliverAccepted(stripe)
                try await s.waitProcessed([hotmartEnvelope, stripeEnvelope])
                try await f.waitIdle()

                for envelope in [hotmartEnvelope, stripeEnvelope] {
                    let inbox = try #require(try s.inbox(envelopeID: envelope))
                    #expect(inbox.outcome?.hasPrefix("ignored") == true, "\(inbox)")
                }
                #expect(try s.inbox(envelopeID: hotmartEnvelope)?.outcome?.contains("not mapped to a sale status") == true)
                #expect(try s.conversions(transaction: transaction).isEmpty)
                #expect(try f.ledger().isEmpty)
                #expect(try f.deadLetters().isEmpty, "ignored is not an error")
                #expect(f.meta.acceptedEvents().isEmpty && f.meta.requests().isEmpty)
                #expect(f.workerLogs.contains("msg=\"webhook ignored\""))
                print("[sales ignored] inbox=2 outcome=ignored meta_requests=\(f.meta.requests().count) ledger=0 dead_letters=0")
            }
        }
    }
}
