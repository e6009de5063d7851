import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Every attempt in the ledger (issue 14, item 10), with real processes: a worker killed with
/// kill -9 while its request is at Meta leaves `in_flight` rows for every event Meta then
/// accepted; the worker that takes the entries over sends them again and settles them.
extension DispatchEndToEndTests {
    @Suite("in-flight ledger rows")
    struct InFlightLedger {
        @Test("kill -9 mid-send: every event Meta accepted has a ledger row; the orphan in_flight rows are followed by the resend's")
        func killedMidSend() async throws {
            var options = DispatchFixture.Options()
            options.sendTimeoutMs = 5000
            options.claimIdleMs = 1500
            options.workers = 0   // the clicks queue first, so the worker's first read (one request) holds them all
            try await withDispatchFixture("inflight", options: options) { f in
                // The first request stays 2 s at the fake, which then accepts it (the worker is gone by then).
                f.meta.setBehaviour(.failNextRequests(1, with: .delay(.seconds(2)), then: .ok), pixel: DispatchFixture.pixelA)
                let ids = try await f.clicks(4)
                try await f.startWorker("w1")
                try await f.eventually("in_flight rows of the first request", timeout: .seconds(20)) {
                    Set(try f.ledger(outcome: LedgerOutcome.inFlight.rawValue).map(\.eventID)).isSuperset(of: ids)
                }
                try await Task.sleep(for: .milliseconds(500))   // the POST left; the fake holds it
                f.worker("w1")?.kill9()
                try await f.eventually("the slow request accepted after the worker died", timeout: .seconds(10)) {
                    Set(f.meta.acceptedEvents(pixel: DispatchFixture.pixelA).compactMap(\.eventID)).isSuperset(of: ids)
                }
                let orphans = try f.ledger(inFlight: true)
                #expect(orphans.allSatisfy { $0.outcome == LedgerOutcome.inFlight.rawValue }, "no outcome recorded by the killed worker: \(orphans)")

                try await f.startWorker("w2")
                try await f.waitIdle(timeout: .seconds(30))
                let accepted = f.meta.acceptedEvents()
                var resent = 0
                for id in ids {
                    let rows = try f.ledger(eventID: id, inFlight: true)
                    // First the killed worker's in_flight row (no outcome under its request id), then the
                    // resend's in_flight and its outcome under one new request id.
                    let first = try #require(rows.first)
                    #expect(first.outcome == "in_flight")
                    #expect(!rows.dropFirst().contains { $0.requestID == first.requestID }, "\(id): \(rows)")
                    let sent = rows.filter { $0.outcome == "sent" }
                    #expect(sent.count == 1, "\(id): \(rows)")
                    #expect(rows.contains { $0.outcome == "in_flight" && $0.requestID == sent.first?.requestID }, "\(id): \(rows)")
                    resent += accepted.filter { $0.eventID == id }.count - 1
                }
                // The check the fault suite makes too: no event reached Meta without a ledger row.
                let ledgered = Set(try f.ledger(inFlight: true).map(\.eventID))
                let unledgered = Set(accepted.compactMap(\.eventID)).subtracting(ledgered)
                #expect(unledgered.isEmpty, "accepted at Meta with no ledger row: \(unledgered)")
                print("[in-flight ledger] events=\(ids.count) accepted_at_meta=\(accepted.count) resent_same_event_id=\(resent) unledgered=\(unledgered.count)")
            }
        }
    }
}
