import Foundation
import Logging
import Synchronization
import Testing
@testable import TrackhubCore

/// Every attempt in the ledger (issue 14, item 10): a request's events are written `in_flight`
/// before it leaves, so a worker killed mid-send leaves a row for whatever Meta may have; a
/// request whose rows cannot be written is not sent.
@Suite("EventSender: in-flight rows before each request")
struct EventSenderJournalTests {
    typealias V = DispatchTestValues

    /// A journal that stores until `failFrom` calls, then fails as an unreachable Postgres does.
    final class FailingJournal: AttemptJournal {
        let failFrom: Int
        let calls = Mutex<[[LedgerEntry]]>([])
        init(failFrom: Int) { self.failFrom = failFrom }
        func recordInFlight(_ entries: [LedgerEntry]) async throws {
            let n = calls.withLock { $0.append(entries); return $0.count }
            if n >= failFrom { throw PostgresError(.connectionFailed, "connection refused") }
        }
    }

    func sender(_ meta: InMemoryCAPITransport, journal: any AttemptJournal) -> EventSender {
        EventSender(transport: meta, gate: InMemoryPixelGate(), journal: journal, logger: Logger(label: "test"))
    }

    @Test("each request's events are in_flight in the ledger before the POST, and each outcome row names the same request")
    func rowsBeforeThePost() async throws {
        let journal = InMemoryDispatchStorage()
        // At each POST, the events it carries must already be in the journal (in_flight).
        let missing = Mutex<[String]>([])
        let meta = InMemoryCAPITransport { _, ids in
            let journaled = Set(journal.ledger(outcome: .inFlight).map(\.eventID))
            missing.withLock { $0 += ids.filter { !journaled.contains($0) } }
            return InMemoryCAPITransport.rejecting(["e5"])("p1", ids)
        }
        let r = try await sender(meta, journal: journal).send(V.events(8), pixel: V.pixel(), now: V.now)
        #expect(missing.withLock { $0 }.isEmpty)
        // 8 → 4 → 2 → 1 around e5, plus the accepted halves: one in_flight row per event per request.
        let inFlight = journal.ledger(outcome: .inFlight)
        #expect(inFlight.count == meta.requests.map(\.eventIDs.count).reduce(0, +))
        #expect(inFlight.allSatisfy { $0.payload == nil && $0.requestID != nil })
        // Every in_flight row is settled by an outcome row of the same event and request.
        let outcomes = Set(r.ledger.map { "\($0.eventID)|\($0.requestID ?? "-")" })
        #expect(inFlight.allSatisfy { outcomes.contains("\($0.eventID)|\($0.requestID!)") })
        // The attempt number is the one the outcome row records.
        let e5 = inFlight.filter { $0.eventID == "e5" }.map(\.attempt)
        #expect(e5 == [1, 2, 3, 4])
    }

    @Test("rows that cannot be stored: nothing is POSTed; the events wait a few seconds, with no attempt counted")
    func unreachableJournalHolds() async throws {
        let meta = InMemoryCAPITransport()
        let r = try await sender(meta, journal: FailingJournal(failFrom: 1)).send(V.events(6), pixel: V.pixel(batchSize: 2), now: V.now)
        #expect(meta.requests.isEmpty)
        #expect(r.ledger.isEmpty && r.deadLetters.isEmpty && r.park.isEmpty)
        #expect(r.schedule.map(\.0.eventID).sorted() == (0..<6).map { "e\($0)" }.sorted())
        #expect(r.schedule.allSatisfy { $0.0.attempts == 0 })
        let soonest = DeliveryPlanner.ms(Date()) + EventSender.journalRetryDelayMs - 60_000
        #expect(r.schedule.allSatisfy { $0.1 >= soonest })
    }

    @Test("rows failing after the first request: the sent request keeps its outcome, the rest wait (never POSTed twice)")
    func failureMidRound() async throws {
        let meta = InMemoryCAPITransport()
        let journal = FailingJournal(failFrom: 2)
        let r = try await sender(meta, journal: journal).send(V.events(6), pixel: V.pixel(batchSize: 2), now: V.now)
        #expect(meta.requests.count == 1 && meta.acceptedEventIDs == ["e0", "e1"])
        #expect(r.ledger.filter { $0.outcome == .sent }.map(\.eventID) == ["e0", "e1"])
        #expect(r.schedule.map(\.0.eventID).sorted() == ["e2", "e3", "e4", "e5"])
    }

    @Test("no answer after sending is recorded unconfirmed (Meta may have it); a refused connection is a plain retry")
    func unconfirmedVersusKnownFailure() async throws {
        for (kind, expected) in [(MetaTransportOutcome.ErrorKind.timeout, LedgerOutcome.unconfirmed), (.other, .unconfirmed),
                                 (.connect, .retryScheduled)] {
            let meta = InMemoryCAPITransport { _, _ in .transportError(kind: kind, message: "simulated") }
            let journal = InMemoryDispatchStorage()
            let r = try await sender(meta, journal: journal).send(V.events(3), pixel: V.pixel(), now: V.now)
            #expect(r.ledger.map(\.outcome) == Array(repeating: expected, count: 3), "\(kind)")
            #expect(r.schedule.count == 3, "\(kind)")
            #expect(journal.ledger(outcome: .inFlight).count == 3, "\(kind)")
        }
    }
}
