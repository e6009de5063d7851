import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Hourly rollups kept by real workers as they record, against the rebuild from raw data.
///
/// Mixed traffic goes through a real ingestd into two real dispatchd workers (same consumer
/// group, one entry per stream per read, so a webhook overtakes its own click — a late click):
/// clicks on two links, page events, sales approved on two gateways, a refund, a chargeback, a
/// gateway's redelivery of a sale. The rollups the triggers kept must equal, row for row, what
/// `dispatchd analytics backfill` rebuilds from the raw tables, and the numbers must be the
/// traffic's.
extension SalesEndToEndTests {
    @Suite("analytics rollups")
    struct AnalyticsRollups {
        static func transaction() -> String { "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999)) }

        @Test("mixed traffic through two workers: rollups == backfill, and the counts are the traffic's")
        func rollupsEqualBackfill() async throws {
            var options = DispatchFixture.Options()
            options.readCount = 1
            options.workers = 2
            try await withSalesFixture("analytics", options: options, startWorkers: false) { s in
                let f = s.f
                // Queued before any worker runs: a backlog of clicks, then the sale's click and its
                // webhook (processed before the click: held, then matched when the click lands).
                let backlog = try await f.clicks(3, slug: DispatchFixture.slugA)
                let lateClick = try await s.click(to: .hotmart)
                let lateTx = Self.transaction()
                var envelopes = [try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: lateTx, buyer: .unique("an-late"),
                                                                                    sck: lateClick.id))]
                try await f.startWorker("w1")
                try await f.startWorker("w2")

                let kiwifyClick = try await s.click(to: .kiwify)
                for event in ["pageview", "lead", "initiate_checkout"] {
                    let r = try await f.track(event, ["click_id": kiwifyClick.id, "page_url": "https://lp.shop.example/oferta"])
                    #expect(r.status == 202)
                }
                let kiwifyOrder = UUID().uuidString.lowercased()
                envelopes.append(try await s.deliverAccepted(SalesWebhooks.kiwify(orderID: kiwifyOrder, buyer: .unique("an-kw"),
                                                                                  sck: kiwifyClick.id, cents: 4_999)))
                let refundedTx = Self.transaction(), chargebackTx = Self.transaction()
                let refundedClick = try await s.click(to: .hotmart)
                let approved = SalesWebhooks.hotmart(transaction: refundedTx, buyer: .unique("an-rf"), sck: refundedClick.id, value: 10.31)
                envelopes.append(try await s.deliverAccepted(approved))
                envelopes.append(try await s.deliverAccepted(approved))  // the gateway's redelivery
                envelopes.append(try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: chargebackTx, buyer: .unique("an-cb"),
                                                                                   sck: nil, value: 0.1)))
                try await s.waitProcessed(envelopes)
                try await f.waitDelivered(["hotmart.\(refundedTx)", "hotmart.\(chargebackTx)", "kiwify.\(kiwifyOrder)"],
                                          pixel: SalesFixture.pixel)
                envelopes = [
                    try await s.deliverAccepted(SalesWebhooks.hotmart(event: "PURCHASE_REFUNDED", transaction: refundedTx,
                                                                      buyer: .unique("an-rf"), sck: refundedClick.id, value: 10.31)),
                    try await s.deliverAccepted(SalesWebhooks.hotmart(event: "PURCHASE_CHARGEBACK", transaction: chargebackTx,
                                                                      buyer: .unique("an-cb"), sck: nil, value: 0.1)),
                ]
                try await s.waitProcessed(envelopes)
                try await f.waitDelivered(backlog + [lateClick.id, "hotmart.\(lateTx)"], pixel: SalesFixture.pixel)
                try await f.waitIdle()
                #expect(try s.ledgerOutcomes(eventID: "hotmart.\(lateTx)").first == "held", "the late click was not late")

                let conn = try f.postgres()
                defer { conn.close() }
                let store = AnalyticsStore()
                let (from, to) = (AnalyticsPeriod.earliest, AnalyticsPeriod.latest)
                let live = Set(try store.rows(tenant: SalesFixture.tenant, from: from, to: to, connection: conn))
                let raw = Set(try store.factsFromRawTables(tenant: SalesFixture.tenant, from: from, to: to, connection: conn))
                #expect(live == raw, "only in rollups: \(live.subtracting(raw)); only in raw: \(raw.subtracting(live))")

                let backfill = try await f.cli(["analytics", "backfill", "--tenant", SalesFixture.tenant])
                try backfill.requireSuccess("analytics backfill")
                let rebuilt = Set(try store.rows(tenant: SalesFixture.tenant, from: from, to: to, connection: conn))
                #expect(rebuilt == live, "only live: \(live.subtracting(rebuilt)); only rebuilt: \(rebuilt.subtracting(live))")

                let t = AnalyticsTotals(rows: live)
                print("[analytics e2e] rows=\(live.count) clicks=\(t.clicks) pages=\(t.pageEvents) sales=\(t.sales) gross=\(t.grossRevenue) net=\(t.netRevenue) matches=\(t.matches) sent=\(t.sent) attempts=\(t.attempts)")
                #expect(t.clicks == 6 && t.pageEvents == ["pageview": 1, "lead": 1, "initiate_checkout": 1])
                #expect(t.sales == ["approved": 4, "refunded": 1, "chargeback": 1])
                #expect(t.grossRevenue == ["BRL": Decimal(string: "197")! + Decimal(string: "49.99")! + Decimal(string: "10.31")! + Decimal(string: "0.1")!])
                #expect(t.netRevenue == ["BRL": Decimal(string: "246.99")!])
                let acceptedPageViews = f.meta.acceptedEvents().filter { $0.eventName == "PageView" && $0.pixel == SalesFixture.pixel }.count
                #expect(t.purchasesSent == 4 && t.sent["PageView"] == acceptedPageViews && acceptedPageViews >= 6)
                // Every sale record that carried its click id back: the three approved and the refund.
                #expect(t.matches["click_id"] == 4)
                // The late-click sale and the refunded one belong to the hotmart link and their click's
                // campaign; the chargeback carried no click: no link, no campaign.
                let hotmartApproved = live.filter { $0.metric == .sale("approved") && $0.key.gateway == "hotmart" }
                let byAttribution = Dictionary(grouping: hotmartApproved, by: { "\($0.key.link)|\($0.key.utmCampaign)" })
                    .mapValues { $0.reduce(Decimal(0)) { $0 + $1.amount } }
                #expect(byAttribution == ["\(SalesFixture.links[.hotmart]!.slug)|sales": Decimal(string: "207.31")!, "|": Decimal(string: "0.1")!],
                        "\(hotmartApproved)")
            }
        }
    }
}
