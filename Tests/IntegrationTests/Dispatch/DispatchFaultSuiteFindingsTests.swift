import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Regressions for what scripts/faults found (docs/RELIABILITY.md): each test reproduces one
/// finding on a small scale.
extension DispatchEndToEndTests {
    @Suite("found by the fault suite")
    struct FaultSuiteFindings {
        @Test("throttled with several batches in hand: the later batches wait for the pause, they are not parked")
        func throttleDoesNotPark() async throws {
            var options = DispatchFixture.Options()
            options.workers = 0       // queue first, so one read holds three batches
            options.batchSize = 2
            options.throttlePauseMs = 1000
            try await withDispatchFixture("throttlepark", options: options) { f in
                let ids = try await f.clicks(6)
                f.meta.setBehaviour(.failNextRequests(1, with: .applicationThrottled, then: .ok), pixel: DispatchFixture.pixelA)
                try await f.startWorker("w1")
                // Before the fix the two batches after the throttled one were parked: kept until
                // a new token is applied, which a throttle never leads to.
                try await f.waitDelivered(ids, timeout: .seconds(20))
                try await f.waitIdle()
                let parked = try RetrySchedule(layout: f.layout).parkedCount(pixel: DispatchFixture.pixelA, connection: f.redis())
                #expect(parked == 0)
                #expect(try f.ledger(outcome: "parked").isEmpty)
                #expect(f.meta.duplicates().isEmpty)
                #expect(f.meta.requests(pixel: DispatchFixture.pixelA).first?.errorCode == 4)
            }
        }

        @Test("a stream entry with a NUL byte is dead-lettered and the entries behind it are delivered")
        func nulBytePoison() async throws {
            try await withDispatchFixture("nulpoison") { f in
                // A NUL followed by a combining mark is a single Character: found by random bytes.
                let poison = try f.xadd(.normal, fields: ["e", "{\"v\":1,\u{0}\u{0}binary\u{0}\u{301}"])
                let after = try await f.clicks(3)
                // Before the fix the dead letter itself could not be stored (Postgres text holds
                // no NUL), so the batch failed forever and the stream stalled behind it.
                try await f.waitDelivered(after)
                try await f.waitIdle()
                let letters = try f.deadLetters(reason: "unparseable")
                #expect(letters.count == 1 && letters.first?.streamID == "\(f.layout.stream(.normal))/\(poison)", "\(letters)")
                #expect(letters.first?.payload?.contains("\u{FFFD}\u{FFFD}binary\u{FFFD}\u{301}") == true)
            }
        }

        @Test("the same sale twice in one read (a redelivery; Stripe's two events for one payment): one Purchase")
        func sameSaleInOneRead() async throws {
            try await withSalesFixture("samebatch", startWorkers: false) { s in
                let f = s.f
                let buyer = SalesWebhooks.Buyer.unique("lucas")
                let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
                let approved = SalesWebhooks.hotmart(transaction: transaction, buyer: buyer, sck: nil)
                let intent = "pi_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24)
                var envelopes = [try await s.deliverAccepted(approved), try await s.deliverAccepted(approved)]
                envelopes.append(try await s.deliverAccepted(SalesWebhooks.stripeCheckoutCompleted(paymentIntent: String(intent), buyer: buyer, clickID: nil)))
                envelopes.append(try await s.deliverAccepted(SalesWebhooks.stripePaymentIntentSucceeded(paymentIntent: String(intent), buyer: buyer, clickID: nil)))
                try await f.startWorker("w1")
                try await s.waitProcessed(envelopes)
                try await f.waitIdle()
                // Before the fix every copy in the batch was sent: the registry had one owner,
                // but ownership was checked per event key, not per envelope.
                for id in ["hotmart.\(transaction)", "stripe.\(intent)"] {
                    _ = try SalesChecks.onePurchase(s, id)
                    #expect(try s.ledgerOutcomes(eventID: id).sorted() == ["sent", "skipped_duplicate"], "\(id)")
                }
                #expect(f.meta.duplicates().isEmpty)
            }
        }

        @Test("a second copy of an envelope that was already sent (spool drain retried, ack lost) is not sent again")
        func envelopeCopyNotResent() async throws {
            try await withDispatchFixture("envcopy") { f in
                let click = try await f.click()
                try await f.waitDelivered([click])
                try await f.waitIdle()
                let stream = f.layout.stream(.normal)
                let entry = try #require(try StreamConsumer.parseEntries(try f.redis().command(["XRANGE", stream, "-", "+"]), stream: stream).first)
                try f.xadd(.normal, fields: ["e", String(decoding: try #require(entry.payload), as: UTF8.self)])
                try await f.eventually("the copy recorded as a duplicate") { try !f.ledger(eventID: click, outcome: "skipped_duplicate").isEmpty }
                try await f.waitIdle()
                // Before the fix the copy, owned by the same envelope, was sent a second time.
                #expect(f.meta.acceptedCount(eventID: click) == 1)
                #expect(try f.ledger(eventID: click).map(\.outcome) == ["sent", "skipped_duplicate"])
            }
        }
    }
}
