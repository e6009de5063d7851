import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Sales are stored set-based per batch (one upsert of the batch's conversions, one click
/// look-up, one insert of the matches, one inbox update, in one transaction). These webhooks
/// are all queued before the worker starts, so it reads them together: each sale must still
/// get its own conversion, its own match and exactly one Purchase; a repeated delivery in the
/// same batch must share the conversion and add nothing; a non-sale in the batch is ignored.
extension SalesEndToEndTests {
    @Suite("a batch of sales")
    struct Batch {
        @Test("matched, unmatched, repeated and ignored webhooks in one read: one conversion and one Purchase per sale")
        func mixedBatch() async throws {
            try await withSalesFixture("batch", startWorkers: false) { s in
                let f = s.f
                let hotmartClick = try await s.click(to: .hotmart)
                let kiwifyClick = try await s.click(to: .kiwify)
                let matchedTx = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let unmatchedTx = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let ignoredTx = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let kiwifyOrder = UUID().uuidString.lowercased()
                let matched = SalesWebhooks.hotmart(transaction: matchedTx, buyer: .unique("batch-a"), sck: hotmartClick.id)
                let envelopes = [
                    try await s.deliverAccepted(matched),
                    try await s.deliverAccepted(SalesWebhooks.kiwify(orderID: kiwifyOrder, buyer: .unique("batch-b"), sck: kiwifyClick.id)),
                    try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: unmatchedTx, buyer: .unique("batch-c"), sck: nil)),
                    try await s.deliverAccepted(matched),   // the gateway's redelivery of the first sale
                    try await s.deliverAccepted(SalesWebhooks.hotmart(event: "SWITCH_PLAN", transaction: ignoredTx,
                                                                      buyer: .unique("batch-d"), sck: nil)),
                ]

                try await f.startWorker("w1")
                try await s.waitProcessed(envelopes)
                try await f.waitDelivered([hotmartClick.id, kiwifyClick.id, "hotmart.\(matchedTx)", "kiwify.\(kiwifyOrder)",
                                           "hotmart.\(unmatchedTx)"], pixel: SalesFixture.pixel)
                try await f.waitIdle()

                for (tx, click) in [(matchedTx, hotmartClick.id), (kiwifyOrder, kiwifyClick.id)] {
                    let conversions = try s.conversions(transaction: tx)
                    #expect(conversions.map(\.status) == ["approved"], "\(conversions)")
                    let matches = try s.matches(transaction: tx)
                    #expect(matches.map(\.method) == ["click_id"] && matches.first?.touchpointClickID == click, "\(matches)")
                }
                #expect(try s.conversions(transaction: unmatchedTx).count == 1)
                #expect(try s.matches(transaction: unmatchedTx).isEmpty)
                #expect(try s.conversions(transaction: ignoredTx).isEmpty)

                // Both deliveries of the first sale point at its one conversion; only one was sent.
                let ids = try s.ledgerConversionIDs(eventID: "hotmart.\(matchedTx)")
                #expect(Set(ids) == [try s.conversions(transaction: matchedTx).first?.id], "\(ids)")
                #expect(try s.ledgerOutcomes(eventID: "hotmart.\(matchedTx)").sorted() == ["sent", "skipped_duplicate"])
                for id in ["hotmart.\(matchedTx)", "kiwify.\(kiwifyOrder)", "hotmart.\(unmatchedTx)"] {
                    _ = try SalesChecks.onePurchase(s, id)
                }
                #expect(f.meta.duplicates().isEmpty)

                let outcomes = try envelopes.map { try s.inbox(envelopeID: $0)?.outcome ?? "-" }
                #expect(outcomes[0] == "conversion approved" && outcomes[1] == "conversion approved" && outcomes[2] == "conversion approved"
                        && outcomes[3] == "conversion approved", "\(outcomes)")
                #expect(outcomes[4].hasPrefix("ignored"), "\(outcomes)")
            }
        }
    }
}
