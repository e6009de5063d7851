import Foundation
import Logging
import Testing
@testable import TrackhubCore

@Suite("EventSender over an in-memory transport and gate")
struct EventSenderTests {
    typealias V = DispatchTestValues

    func sender(_ transport: InMemoryCAPITransport, _ gate: InMemoryPixelGate = InMemoryPixelGate(),
                journal: any AttemptJournal = InMemoryDispatchStorage()) -> EventSender {
        EventSender(transport: transport, gate: gate, journal: journal, logger: Logger(label: "test"))
    }

    @Test("one invalid event among 8: bisected until it is dead-lettered alone; the other 7 sent once")
    func isolation() async throws {
        let meta = InMemoryCAPITransport(respond: InMemoryCAPITransport.rejecting(["e5"]))
        let r = try await sender(meta).send(V.events(8), pixel: V.pixel(), now: V.now)
        #expect(r.deadLetters.map(\.eventID) == ["e5"] && r.deadLetters[0].reason == .invalid)
        #expect(meta.acceptedEventIDs.sorted() == (0..<8).filter { $0 != 5 }.map { "e\($0)" }.sorted())
        #expect(r.ledger.filter { $0.outcome == .sent }.count == 7 && r.finished.count == 8)
        // The culprit's last attempt is counted: 8 → 4 → 2 → 1 is four requests.
        #expect(r.ledger.first { $0.outcome == .deadLettered }?.attempt == 4)
    }

    @Test("a token refusal parks the request and halts the pixel's other requests (parked, never sent)")
    func tokenHalts() async throws {
        let meta = InMemoryCAPITransport { _, _ in InMemoryCAPITransport.graphError(status: 401, code: 190, message: "expired token") }
        let gate = InMemoryPixelGate()
        let r = try await sender(meta, gate).send(V.events(6), pixel: V.pixel(batchSize: 2), now: V.now)
        #expect(meta.requests.count == 1 && r.park.count == 6 && r.schedule.isEmpty)
        #expect(r.ledger.filter { $0.outcome == .parked }.count == 2)
        #expect(gate.pauses["p1"]?.remainingMs == nil && gate.pauses["p1"]?.reason.contains("[token ") == true)
    }

    @Test("throttling pauses the pixel and holds its other requests until the pause ends")
    func throttleHalts() async throws {
        let meta = InMemoryCAPITransport { _, _ in InMemoryCAPITransport.graphError(status: 400, code: 613) }
        let gate = InMemoryPixelGate()
        let r = try await sender(meta, gate).send(V.events(6), pixel: V.pixel(batchSize: 2), now: V.now)
        #expect(meta.requests.count == 1 && r.schedule.count == 6 && r.park.isEmpty)
        #expect(r.schedule.allSatisfy { $0.1 >= 1_790_000_060_000 } && gate.pauses["p1"]?.remainingMs == 60_000)
    }

    @Test("throttles in a row double the pause (the gate counts the streak for every instance); Meta's hint is honoured")
    func throttleBackoff() async throws {
        let throttled: InMemoryCAPITransport.Responder = { _, _ in InMemoryCAPITransport.graphError(status: 400, code: 4) }
        let gate = InMemoryPixelGate()
        let s = sender(InMemoryCAPITransport(respond: throttled), gate)
        for _ in 0..<3 {
            gate.clearPauses()
            let r = try await s.send(V.events(1), pixel: V.pixel(), now: V.now)
            #expect(r.schedule.count == 1 && r.deadLetters.isEmpty && r.schedule[0].0.throttled == 1)
        }
        #expect(gate.pauseDurations == [.seconds(60), .seconds(120), .seconds(240)])
        gate.clearPauses()
        let hinted = try await sender(InMemoryCAPITransport(hint: .seconds(30), respond: throttled), gate).send(V.events(1), pixel: V.pixel(), now: V.now)
        #expect(gate.pauseDurations.last == .seconds(30) && hinted.schedule.map(\.1) == [1_790_000_030_000])
    }

    @Test("a paused pixel sends nothing; the rate limit sends what was granted and schedules the rest")
    func gate() async throws {
        let meta = InMemoryCAPITransport()
        let gate = InMemoryPixelGate()
        gate.setPause("p1", reason: "throttled", remainingMs: 5_000)
        let paused = try await sender(meta, gate).send(V.events(3), pixel: V.pixel(), now: V.now)
        #expect(meta.requests.isEmpty && paused.schedule.count == 3)
        gate.clearPauses()
        gate.setTokens("p1", 2)
        let limited = try await sender(meta, gate).send(V.events(5), pixel: V.pixel(), now: V.now)
        #expect(meta.acceptedEventIDs == ["e0", "e1"] && limited.schedule.count == 3)
    }

    @Test("a test pixel sends its test_event_code; a dry-run pixel sends nothing")
    func modes() async throws {
        let meta = InMemoryCAPITransport()
        var test = V.pixel(mode: .test)
        test.testEventCode = "TEST123"
        _ = try await sender(meta).send(V.events(1), pixel: test, now: V.now)
        #expect(meta.requests.map(\.testEventCode) == ["TEST123"])
        let dry = try await sender(meta).send(V.events(2), pixel: V.pixel(mode: .dryRun), now: V.now)
        #expect(meta.requests.count == 1 && dry.ledger.map(\.outcome) == [.dryRun, .dryRun])
    }

    @Test("the sent payload in the ledger is the event as sent")
    func payload() async throws {
        let meta = InMemoryCAPITransport()
        let e = V.event("p")
        let r = try await sender(meta).send([e], pixel: V.pixel(), now: V.now)
        #expect(r.ledger.first?.payload == String(decoding: try e.eventJSON(), as: UTF8.self))
    }
}
