import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// The funnel click → page events → sale, per gateway: the sale's webhook carries the click id
/// where the gateway hands it back, and Meta gets exactly one Purchase, tied to the click,
/// however many deliveries and follow-up events the gateway sends for the transaction.
extension SalesEndToEndTests {
    @Suite("one matched Purchase per sale")
    struct PurchaseOnce {
        @Test("Hotmart funnel: click → pageview → initiate_checkout → APPROVED + COMPLETE + a redelivery: one Purchase with the click's fbc/fbp/IP/UA")
        func hotmartFunnel() async throws {
            try await withSalesFixture("hotmart") { s in
                let f = s.f
                let buyer = SalesWebhooks.Buyer.unique("mariana")
                let page = "https://lp.shop.example/oferta?utm_source=fb"

                // The ad click: the Location hands the click id to Hotmart in sck (and src).
                let click = try await s.click(to: .hotmart)
                #expect(click.location.hasPrefix("https://pay.hotmart.com/X1234?"))
                #expect(URLComponents(string: click.location)?.queryItems?.first { $0.name == "src" }?.value == click.id)

                // Page events tied to the click; the checkout form gave the email.
                let pageviewID = DispatchTestData.unique("pv")
                let checkoutID = DispatchTestData.unique("ic")
                #expect(try await f.track("pageview", ["click_id": click.id, "event_id": pageviewID, "page_url": page]).status == 202)
                #expect(try await f.track("initiate_checkout", ["click_id": click.id, "event_id": checkoutID, "page_url": page,
                                                                "value": 197, "currency": "BRL",
                                                                "user": ["email": buyer.email]]).status == 202)
                try await f.waitDelivered([click.id, pageviewID, checkoutID], pixel: SalesFixture.pixel)

                // The sale: PURCHASE_APPROVED, then PURCHASE_COMPLETE (warranty over), then
                // Hotmart redelivering the APPROVED notification byte for byte.
                let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let approvedAt = Date().addingTimeInterval(-30)
                let approved = SalesWebhooks.hotmart(transaction: transaction, buyer: buyer, sck: click.id, src: click.id,
                                                     approvedAt: approvedAt)
                let purchaseID = "hotmart.\(transaction)"
                let first = try await s.deliverAccepted(approved)
                try await s.waitProcessed([first])
                try await f.waitDelivered([purchaseID], pixel: SalesFixture.pixel)
                let complete = try await s.deliverAccepted(SalesWebhooks.hotmart(
                    event: "PURCHASE_COMPLETE", transaction: transaction, buyer: buyer, sck: click.id, src: click.id, approvedAt: approvedAt))
                let again = try await s.deliverAccepted(approved)
                #expect(again != first, "a redelivery is a new envelope")
                try await s.waitProcessed([complete, again])
                try await f.eventually("both repeats recorded as duplicates") {
                    try s.ledgerOutcomes(eventID: purchaseID).filter { $0 == "skipped_duplicate" }.count == 2
                }
                try await f.waitIdle()

                // At Meta: the click's PageView, the page's PageView (the pixel sends clicks as
                // PageViews, so there are two, each once under its own id), one
                // InitiateCheckout, one Purchase. Nothing else, nothing twice.
                let expected: [String: String] = [click.id: "PageView", pageviewID: "PageView", checkoutID: "InitiateCheckout",
                                                  purchaseID: "Purchase"]
                let accepted = f.meta.acceptedEvents()
                #expect(accepted.count == expected.count, "accepted: \(accepted.map { "\($0.eventName)/\($0.eventID ?? "-")" })")
                #expect(f.meta.duplicates().isEmpty)
                for (id, name) in expected {
                    #expect(f.meta.acceptedCount(pixel: SalesFixture.pixel, eventName: name, eventID: id) == 1, "\(name) \(id)")
                }
                #expect(accepted.filter { $0.eventName == "Purchase" }.count == 1)
                #expect(accepted.filter { $0.eventName == "InitiateCheckout" }.count == 1)

                // The Purchase: the click's identifiers, the buyer's hashed data, the sale.
                let purchase = try SalesChecks.onePurchase(s, purchaseID)
                let clickPageView = try #require(accepted.first { $0.eventID == click.id })
                SalesChecks.carriesClick(purchase, clickPageView: clickPageView, sourceURL: "https://pay.hotmart.com/X1234")
                SalesChecks.carriesBuyer(purchase, buyer)
                SalesChecks.customData(purchase, value: 197, currency: "BRL", orderID: transaction)
                #expect(purchase["custom_data"]?["content_ids"]?.arrayValue?.compactMap(\.stringValue) == ["3865432"])
                #expect(purchase["custom_data"]?["num_items"]?.intValue == 1)
                #expect(purchase.eventTime == Int(approvedAt.timeIntervalSince1970), "event_time is the approval time, in seconds")
                #expect(SalesExpect.hashes(purchase, "fn") == [SalesExpect.sha256("mariana")])
                #expect(SalesExpect.hashes(purchase, "ln") == [SalesExpect.sha256("souzalima")])
                #expect(SalesExpect.hashes(purchase, "external_id") == [SalesExpect.sha256("12345678909")])

                // Postgres: one conversion (COMPLETE is the same approved transaction), matched
                // to the click by its id; the ledger says sent once, then two duplicates.
                let conversions = try s.conversions(transaction: transaction)
                #expect(conversions.count == 1, "\(conversions)")
                let conversion = try #require(conversions.first)
                #expect(conversion.gateway == "hotmart" && conversion.account == "main" && conversion.status == "approved")
                #expect(conversion.tenant == SalesFixture.tenant && conversion.value == 197 && conversion.currency == "BRL")
                #expect(conversion.rawEventType == "PURCHASE_APPROVED" && conversion.envelopeID == first)
                #expect(conversion.buyerJSON?.contains(buyer.email) == false, "conversions.buyer holds hashes only")
                let matches = try s.matches(transaction: transaction)
                #expect(matches.count == 1, "\(matches)")
                #expect(matches.first?.method == "click_id" && matches.first?.score == 1.0)
                #expect(matches.first?.touchpointKind == "click" && matches.first?.touchpointClickID == click.id)
                let ledger = try f.ledger(eventID: purchaseID)
                #expect(ledger.map(\.outcome) == ["sent", "skipped_duplicate", "skipped_duplicate"], "\(ledger)")
                #expect(ledger.first?.hasPayload == true && ledger.first?.httpStatus == 200 && ledger.first?.eventName == "Purchase")
                #expect(try s.ledgerConversionIDs(eventID: purchaseID) == [conversion.id, conversion.id, conversion.id])
                for envelope in [first, complete, again] {
                    let inbox = try #require(try s.inbox(envelopeID: envelope))
                    #expect(inbox.outcome == "conversion approved" && inbox.tenant == SalesFixture.tenant, "\(inbox)")
                    #expect(!inbox.bodySealed.contains(buyer.email), "the stored body is sealed")
                }
                #expect(try f.deadLetters().isEmpty)
                let logs = f.workerLogs
                #expect(!logs.contains(buyer.email) && !logs.contains(buyer.phone), "worker logs leak buyer data")
                print("[sales hotmart] accepted=\(accepted.count) purchases=1 ledger=\(ledger.map(\.outcome)) match=\(matches.first?.method ?? "-") inbox=3")
            }
        }

        @Test("PIX: pending → the account's pending_event, paid → the one Purchase, refund → the account's refund_event; never a second Purchase")
        func pixLifecycle() async throws {
            try await withSalesFixture("pix") { s in
                let f = s.f
                let buyer = SalesWebhooks.Buyer.unique("pix")
                let click = try await s.click(to: .hotmart)
                try await f.waitDelivered([click.id], pixel: SalesFixture.pixel)
                let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                func hotmart(_ event: String) -> SalesWebhooks.Delivery {
                    SalesWebhooks.hotmart(event: event, transaction: transaction, buyer: buyer, sck: click.id, paymentType: "PIX")
                }
                // The PIX code is generated (settings: pending_event PaymentPending) ...
                let pending = try await s.deliverAccepted(hotmart("PURCHASE_BILLET_PRINTED"))
                try await f.waitDelivered(["hotmart.\(transaction).pending"], pixel: SalesFixture.pixel)
                // ... paid ...
                let approved = try await s.deliverAccepted(hotmart("PURCHASE_APPROVED"))
                try await f.waitDelivered(["hotmart.\(transaction)"], pixel: SalesFixture.pixel)
                // ... and refunded within the warranty (settings: refund_event PurchaseRefunded).
                let refunded = try await s.deliverAccepted(hotmart("PURCHASE_REFUNDED"))
                try await f.waitDelivered(["hotmart.\(transaction).refunded"], pixel: SalesFixture.pixel)
                try await s.waitProcessed([pending, approved, refunded])
                try await f.waitIdle()

                let expected = ["hotmart.\(transaction).pending": "PaymentPending", "hotmart.\(transaction)": "Purchase",
                                "hotmart.\(transaction).refunded": "PurchaseRefunded"]
                for (id, name) in expected {
                    #expect(f.meta.acceptedCount(pixel: SalesFixture.pixel, eventName: name, eventID: id) == 1, "\(name) \(id)")
                    #expect(try s.ledgerOutcomes(eventID: id) == ["sent"], "\(id)")
                    let event = try #require(s.accepted(eventID: id).first)
                    #expect(event["user_data"]?["fbc"]?.stringValue?.hasSuffix(".IwAR-sales_Xy7") == true, "\(id) tied to the click")
                }
                #expect(f.meta.acceptedEvents().filter { $0.eventName == "Purchase" }.count == 1)
                #expect(f.meta.acceptedEvents().count == 4, "the click's PageView and the three sale events")
                #expect(try s.conversions(transaction: transaction).map(\.status) == ["pending", "approved", "refunded"])
                #expect(try s.matches(transaction: transaction).map(\.method) == ["click_id", "click_id", "click_id"])
                #expect(try s.inbox(envelopeID: refunded)?.outcome == "conversion refunded")
            }
        }

        @Test("PURCHASE_COMPLETE weeks after the approval (event_time past Meta's 7 days): a duplicate of the Purchase already sent, not a dead letter")
        func lateCompleteIsDuplicate() async throws {
            try await withSalesFixture("latecomplete") { s in
                let f = s.f
                let buyer = SalesWebhooks.Buyer.unique("complete")
                let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let purchaseID = "hotmart.\(transaction)"
                // The APPROVED delivery was processed 30 days ago and its Purchase sent: as
                // dispatchd left it, the Purchase is registered under that envelope.
                let conn = try f.postgres()
                try conn.query("INSERT INTO dedupe_registry (pixel_id, event_name, event_id, envelope_id, first_seen_at) VALUES ($1, 'Purchase', $2, 'env-approved-30d-ago', now() - interval '30 days')",
                               [.string(SalesFixture.pixel), .string(purchaseID)])
                conn.close()
                // Hotmart sends PURCHASE_COMPLETE when the warranty ends, with the original
                // approval time (Monetizze's 6 COMPLETA is the same story).
                let approvedAt = Date().addingTimeInterval(-30 * 86_400)
                let complete = try await s.deliverAccepted(SalesWebhooks.hotmart(event: "PURCHASE_COMPLETE", transaction: transaction,
                                                                                  buyer: buyer, sck: nil, approvedAt: approvedAt))
                try await s.waitProcessed([complete])
                try await f.eventually("the late repeat recorded") { try !f.ledger(eventID: purchaseID).isEmpty || !f.deadLetters().isEmpty }
                try await f.waitIdle()

                let deadLetters = try f.deadLetters()
                #expect(deadLetters.isEmpty, "\(deadLetters)")
                #expect(try s.ledgerOutcomes(eventID: purchaseID) == ["skipped_duplicate"])
                #expect(f.meta.requests().isEmpty)
                #expect(try s.inbox(envelopeID: complete)?.outcome == "conversion approved")
                #expect(try s.conversions(transaction: transaction).map(\.status) == ["approved"])
            }
        }

        /// One gateway's sale as the gateway sends it: the approved delivery, then what
        /// repeats it (a redelivery, a "complete" event, or a second event type about the
        /// same payment).
        struct GatewaySale {
            let transaction: String
            let eventID: String
            let value: Double
            let currency: String
            let approved: SalesWebhooks.Delivery
            let repeats: [SalesWebhooks.Delivery]
            let rawEventType: String
        }

        static func sale(_ gateway: Gateway, click: String, buyer: SalesWebhooks.Buyer) -> GatewaySale {
            let n = String(UInt64.random(in: 10_000_000...99_999_999))
            switch gateway {
            case .kiwify:
                let order = UUID().uuidString.lowercased()
                let approved = SalesWebhooks.kiwify(orderID: order, buyer: buyer, sck: click)
                return GatewaySale(transaction: order, eventID: "kiwify.\(order)", value: 147.9, currency: "BRL",
                                   approved: approved, repeats: [approved], rawEventType: "order_approved")
            case .eduzz:
                let approved = SalesWebhooks.eduzz(invoiceID: n, buyer: buyer, utmContent: click)
                return GatewaySale(transaction: n, eventID: "eduzz.\(n)", value: 297.9, currency: "BRL",
                                   approved: approved, repeats: [approved], rawEventType: "myeduzz.invoice_paid")
            case .monetizze:
                let approved = SalesWebhooks.monetizze(code: "2", sale: n, buyer: buyer, src: click)
                let complete = SalesWebhooks.monetizze(code: "6", sale: n, buyer: buyer, src: click)
                return GatewaySale(transaction: n, eventID: "monetizze.\(n)", value: 397, currency: "BRL",
                                   approved: approved, repeats: [complete, approved], rawEventType: "2")
            case .stripe:
                let intent = "pi_3Q" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20)
                let session = SalesWebhooks.stripeCheckoutCompleted(paymentIntent: intent, buyer: buyer, clickID: click)
                let succeeded = SalesWebhooks.stripePaymentIntentSucceeded(paymentIntent: intent, buyer: buyer, clickID: click)
                return GatewaySale(transaction: intent, eventID: "stripe.\(intent)", value: 197, currency: "BRL",
                                   approved: session, repeats: [succeeded, session], rawEventType: "checkout.session.completed")
            case .hotmart, .mercadopago, .telegram:
                fatalError("not in this test")
            }
        }

        @Test("Kiwify, Eduzz, Monetizze and Stripe: the click id comes back in the gateway's carrier; one Purchase tied to the click",
              arguments: [Gateway.kiwify, .eduzz, .monetizze, .stripe])
        func otherGateways(_ gateway: Gateway) async throws {
            try await withSalesFixture(gateway.rawValue) { s in
                let f = s.f
                let buyer = SalesWebhooks.Buyer.unique(gateway.rawValue)
                let click = try await s.click(to: gateway)
                let checkoutID = DispatchTestData.unique("ic")
                #expect(try await f.track("initiate_checkout", ["click_id": click.id, "event_id": checkoutID,
                                                                "page_url": "https://lp.shop.example/checkout",
                                                                "user": ["email": buyer.email]]).status == 202)
                try await f.waitDelivered([click.id, checkoutID], pixel: SalesFixture.pixel)

                let sale = Self.sale(gateway, click: click.id, buyer: buyer)
                let first = try await s.deliverAccepted(sale.approved)
                try await s.waitProcessed([first])
                try await f.waitDelivered([sale.eventID], pixel: SalesFixture.pixel)
                var later: [String] = []
                for delivery in sale.repeats { later.append(try await s.deliverAccepted(delivery)) }
                try await s.waitProcessed(later)
                try await f.eventually("repeats recorded as duplicates") {
                    try s.ledgerOutcomes(eventID: sale.eventID).filter { $0 == "skipped_duplicate" }.count == sale.repeats.count
                }
                try await f.waitIdle()

                let accepted = f.meta.acceptedEvents()
                #expect(accepted.count == 3, "accepted: \(accepted.map { "\($0.eventName)/\($0.eventID ?? "-")" })")
                #expect(f.meta.duplicates().isEmpty)
                #expect(accepted.filter { $0.eventName == "Purchase" }.count == 1)
                let purchase = try SalesChecks.onePurchase(s, sale.eventID)
                let clickPageView = try #require(accepted.first { $0.eventID == click.id })
                let destination = try #require(clickPageView["event_source_url"]?.stringValue)
                SalesChecks.carriesClick(purchase, clickPageView: clickPageView, sourceURL: destination)
                SalesChecks.carriesBuyer(purchase, buyer)
                SalesChecks.customData(purchase, value: sale.value, currency: sale.currency, orderID: sale.transaction)

                let conversions = try s.conversions(transaction: sale.transaction)
                #expect(conversions.count == 1, "\(conversions)")
                #expect(conversions.first?.status == "approved" && conversions.first?.gateway == gateway.rawValue)
                #expect(conversions.first?.rawEventType == sale.rawEventType && conversions.first?.value == sale.value)
                let matches = try s.matches(transaction: sale.transaction)
                #expect(matches.count == 1 && matches.first?.method == "click_id" && matches.first?.touchpointClickID == click.id,
                        "\(matches)")
                let ledger = try s.ledgerOutcomes(eventID: sale.eventID)
                #expect(ledger == ["sent"] + Array(repeating: "skipped_duplicate", count: sale.repeats.count))
                for envelope in [first] + later {
                    #expect(try s.inbox(envelopeID: envelope)?.outcome == "conversion approved")
                }
                #expect(try f.deadLetters().isEmpty)
                print("[sales \(gateway.rawValue)] accepted=\(accepted.count) purchases=1 deliveries=\(1 + later.count) ledger=\(ledger) match=\(matches.first?.method ?? "-")")
            }
        }
    }
}
