import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// A late click: the sale's webhook is processed before the envelope of the click it carries.
///
/// How it happens for real: webhooks go to the high-priority stream and clicks to the normal
/// one, and a worker reads every stream in each round (`XREADGROUP … COUNT n` per stream). When
/// the normal stream has a backlog (a traffic peak, a worker that was down, clicks replayed
/// from ingestd's spool after a Redis outage), a webhook overtakes the clicks queued ahead of
/// it, including its own click. Here the backlog is made small and deterministic: no worker
/// runs while three other clicks, the buyer's click and the webhook arrive, and the worker
/// reads one entry per stream per round.
///
/// What happens: the sale carries a valid, recent click id that is not stored yet, so the
/// Purchase is registered and *held* (ledger `held`); the retry path looks for the click again
/// every `TRACKHUB_LATE_CLICK_RECHECK_MS`, and once the click is stored the Purchase goes out
/// with its fbc/fbp/IP/UA, matched by `click_id` (docs/MATCHING.md, "late clicks").
extension SalesEndToEndTests {
    @Suite("late click")
    struct LateClick {
        @Test("webhook processed before its click envelope: the Purchase is held, then sent once with the click's data")
        func webhookBeforeClick() async throws {
            var options = DispatchFixture.Options()
            options.readCount = 1
            try await withSalesFixture("lateclick", options: options, startWorkers: false) { s in
                let f = s.f
                let buyer = SalesWebhooks.Buyer.unique("late")
                let backlog = try await f.clicks(3, slug: DispatchFixture.slugA)
                let click = try await s.click(to: .hotmart)
                let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let purchaseID = "hotmart.\(transaction)"
                let envelope = try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: transaction, buyer: buyer, sck: click.id,
                                                                                  src: click.id))

                try await f.startWorker("w1")
                try await s.waitProcessed([envelope])
                try await f.waitDelivered(backlog + [click.id, purchaseID], pixel: SalesFixture.pixel)
                try await f.waitIdle()

                // The webhook really was processed first (held), and the Purchase went out only
                // after the click's PageView, in a later request.
                let accepted = f.meta.acceptedEvents()
                let purchase = try SalesChecks.onePurchase(s, purchaseID)
                let clickPageView = try #require(accepted.first { $0.eventID == click.id })
                #expect(purchase.requestSequence > clickPageView.requestSequence,
                        "Purchase in request #\(purchase.requestSequence), click PageView in #\(clickPageView.requestSequence)")
                #expect(f.meta.acceptedCount(eventID: click.id) == 1 && f.meta.duplicates().isEmpty)
                #expect(try s.ledgerOutcomes(eventID: purchaseID) == ["held", "sent"])
                SalesChecks.carriesBuyer(purchase, buyer)

                let user = purchase["user_data"]
                let matches = try s.matches(transaction: transaction)
                print("[sales late-click] purchase_request=#\(purchase.requestSequence) click_request=#\(clickPageView.requestSequence) action_source=\(purchase.actionSource) matches=\(matches.map(\.method))")
                #expect(user?["fbc"]?.stringValue == clickPageView["user_data"]?["fbc"]?.stringValue)
                #expect(user?["fbp"]?.stringValue == clickPageView["user_data"]?["fbp"]?.stringValue)
                #expect(user?["client_user_agent"]?.stringValue == SalesFixture.clickUserAgent)
                #expect(purchase.actionSource == "website")
                #expect(matches.map(\.method) == ["click_id"])
            }
        }

        @Test("a click id that never arrives: the Purchase is held until the deadline, then sent once, unmatched")
        func clickNeverArrives() async throws {
            var options = DispatchFixture.Options()
            options.lateClickHoldMs = 1500
            try await withSalesFixture("lateclick-never", options: options) { s in
                let f = s.f
                let buyer = SalesWebhooks.Buyer.unique("never")
                let missing = ClickID.generate()   // well-formed and fresh, but no such click was ever made
                let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let purchaseID = "hotmart.\(transaction)"
                let started = ContinuousClock.now
                let envelope = try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: transaction, buyer: buyer, sck: missing))
                try await s.waitProcessed([envelope])
                try await f.waitDelivered([purchaseID], pixel: SalesFixture.pixel)
                let waited = ContinuousClock.now - started
                // Meta's receipt comes before the ledger row that records it: wait for the
                // worker to finish (acknowledged, nothing scheduled) before reading the ledger.
                try await f.waitIdle()
                let purchase = try SalesChecks.onePurchase(s, purchaseID)
                let outcomes = try s.ledgerOutcomes(eventID: purchaseID)
                #expect(outcomes == ["held", "sent"], "\(outcomes)")
                #expect(waited >= .milliseconds(1500), "sent after \(waited), before the hold ended")
                #expect(purchase["user_data"]?["fbc"] == nil && purchase.actionSource == "system_generated")
                #expect(try s.matches(transaction: transaction).isEmpty)
                SalesChecks.carriesBuyer(purchase, buyer)
            }
        }
    }
}
