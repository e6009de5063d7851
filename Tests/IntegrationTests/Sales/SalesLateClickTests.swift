import Foundation
import Testing
import TrackhubCore

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
/// What we want: the Purchase still carries the click's fbc/fbp/IP/UA (hold it briefly, or
/// re-match when the click arrives). What happens today: the Purchase is sent at once,
/// unmatched; the click arriving a moment later changes nothing. The wanted expectations are
/// inside `withKnownIssue`, so this test fails loudly ("known issue was not recorded") the day
/// the hold is implemented: then move them out.
extension SalesEndToEndTests {
    @Suite("late click")
    struct LateClick {
        @Test("webhook processed before its click envelope: exactly one Purchase; today it is unmatched (known gap: no hold / re-match)")
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

                // The webhook really was processed first: the Purchase went out in an earlier
                // request than the click's PageView.
                let accepted = f.meta.acceptedEvents()
                let purchase = try SalesChecks.onePurchase(s, purchaseID)
                let clickPageView = try #require(accepted.first { $0.eventID == click.id })
                #expect(purchase.requestSequence < clickPageView.requestSequence,
                        "Purchase in request #\(purchase.requestSequence), click PageView in #\(clickPageView.requestSequence)")
                #expect(f.meta.acceptedCount(eventID: click.id) == 1 && f.meta.duplicates().isEmpty)
                #expect(try s.ledgerOutcomes(eventID: purchaseID) == ["sent"])
                SalesChecks.carriesBuyer(purchase, buyer)

                // Today: sent unmatched, with the buyer's own data only, and nothing re-matches
                // once the click is stored.
                let user = purchase["user_data"]
                let matches = try s.matches(transaction: transaction)
                print("[sales late-click] purchase_request=#\(purchase.requestSequence) click_request=#\(clickPageView.requestSequence) action_source=\(purchase.actionSource) fbc=\(user?["fbc"]?.stringValue ?? "none") matches=\(matches.map(\.method))")

                // What we want (see the type's comment): the click's identifiers on the Purchase.
                withKnownIssue("late click: SalesProcessor has no hold / re-match, so a Purchase whose click envelope is still queued goes out unmatched") {
                    #expect(user?["fbc"]?.stringValue == clickPageView["user_data"]?["fbc"]?.stringValue)
                    #expect(user?["client_user_agent"]?.stringValue == SalesFixture.clickUserAgent)
                    #expect(purchase.actionSource == "website")
                    #expect(matches.first?.method == "click_id")
                }
            }
        }
    }
}
