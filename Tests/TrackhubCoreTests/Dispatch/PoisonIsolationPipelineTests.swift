import Foundation
import Logging
import Synchronization
import Testing
@testable import TrackhubCore

/// One poison value in a batch of 500, in memory (issue 14): found by halving, never by
/// resending what Meta already accepted. The same against real processes:
/// Tests/IntegrationTests/Dispatch/DispatchPoisonIsolationTests.swift.
@Suite("a batch with one value Postgres refuses")
struct PoisonIsolationPipelineTests {
    let queue = InMemoryRetryQueue()
    let gate = InMemoryPixelGate()
    let config = DispatchPipelineTests().config

    func pipeline(_ meta: InMemoryCAPITransport, _ storage: InMemoryDispatchStorage) -> DispatchPipeline {
        let logger = Logger(label: "test")
        return DispatchPipeline(interpreter: EnvelopeInterpreter(keys: KeyRing(keys: [("k1", Array(repeating: 7, count: 32))])),
                                sender: EventSender(transport: meta, gate: gate, journal: storage, logger: logger),
                                recorder: OutcomeRecorder(storage: storage, queue: queue, logger: logger),
                                storage: storage, logger: logger)
    }

    @Test("its ledger row refused after the send: 500 POSTed once in one request, 499 recorded sent, 1 unrecordable dead letter")
    func refusedAfterSend() async throws {
        let storage = InMemoryDispatchStorage(refuseLedger: { $0.eventID == "ev-137" })
        let meta = InMemoryCAPITransport()
        let entries = try (0..<500).map { try DispatchPipelineTests.lead($0) }
        let p = pipeline(meta, storage)
        try await PoisonEntryIsolation.process(entries, process: { try await p.process($0, config: config) },
                                               record: { try await p.recorder.record($0, fromRetrySchedule: false) }, isolating: { _ in })

        #expect(meta.requests.count == 1)
        #expect(meta.acceptedEventIDs.count == 500 && Set(meta.acceptedEventIDs).count == 500)
        #expect(storage.ledger(outcome: .sent).count == 499)
        #expect(!storage.ledger.contains { $0.eventID == "ev-137" })
        let letters = storage.deadLetters
        #expect(letters.count == 1 && letters[0].reason == .unrecordable && letters[0].eventID == "ev-137", "\(letters)")
        #expect(letters[0].detail.contains("outcome sent") && letters[0].detail.contains("22P05"), "\(letters[0].detail)")
        #expect(queue.dlqStream.map(\.eventID) == ["ev-137"])
        // Halving, not one by one: the first try, then about two tries per level — plus the request's
        // in_flight rows before the POST (refused too: the send goes on without them, ``EventSender``).
        let calls = storage.recordCalls.withLock { $0 }
        #expect(calls.first?.refused == true && calls.first?.rows == 500, "the in_flight rows come first")
        #expect(calls.count <= 1 + 2 * 9 + 2, "\(calls.count) record calls")

        // A redelivery of the same entries (a crash before XACK) sends none of the 499 again.
        try await p.process(entries, config: config)
        #expect(meta.acceptedEventIDs.filter { $0 != "ev-137" }.count == 499)
    }

    @Test("its touchpoint refused before any send: halved, 499 sent exactly once, the entry dead-lettered unparseable")
    func refusedBeforeSend() async throws {
        let storage = InMemoryDispatchStorage(refuseTouchpoint: { $0.envelopeID == "env-137" })
        let meta = InMemoryCAPITransport()
        let entries = try (0..<500).map { try DispatchPipelineTests.lead($0) }
        let p = pipeline(meta, storage)
        let splits = Mutex(0)
        try await PoisonEntryIsolation.process(entries, process: { try await p.process($0, config: config) },
                                               record: { try await p.recorder.record($0, fromRetrySchedule: false) },
                                               isolating: { _ in splits.withLock { $0 += 1 } })

        let accepted = meta.acceptedEventIDs
        #expect(accepted.count == 499 && Set(accepted).count == 499 && !accepted.contains("ev-137"))
        #expect(storage.ledger(outcome: .sent).count == 499)
        #expect(storage.deadLetters.map(\.streamEntry) == ["th:ingest:normal/1-137"] && storage.deadLetters[0].reason == .unparseable)
        #expect(splits.withLock { $0 } <= 10, "\(splits.withLock { $0 }) splits")
        #expect(meta.requests.count <= 12, "\(meta.requests.count) requests")
    }
}
