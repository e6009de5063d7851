import Foundation
import Logging
import Testing
@testable import TrackhubCore

@Suite("DispatchPipeline end to end in memory (no Redis, Postgres or processes)")
struct DispatchPipelineTests {
    let storage = InMemoryDispatchStorage()
    let queue = InMemoryRetryQueue()
    let gate = InMemoryPixelGate()

    func pipeline(_ meta: InMemoryCAPITransport) -> DispatchPipeline {
        let logger = Logger(label: "test")
        return DispatchPipeline(interpreter: EnvelopeInterpreter(keys: KeyRing(keys: [("k1", Array(repeating: 7, count: 32))])),
                                sender: EventSender(transport: meta, gate: gate, journal: storage, logger: logger),
                                recorder: OutcomeRecorder(storage: storage, queue: queue, logger: logger),
                                storage: storage, logger: logger)
    }

    let config = DispatchConfig(
        pixels: ["p1": DispatchConfig.Pixel(id: "p1", tenant: "t1", accessToken: "TOKEN", mode: .live, batchSize: 500)],
        tenants: ["t1": DispatchConfig.Tenant(id: "t1", defaultPixel: "p1"), "t2": DispatchConfig.Tenant(id: "t2", defaultPixel: "p1")])

    static func lead(_ i: Int, tenant: String = "t1", clickID: String? = nil, userAgent: String? = "UA/1") throws -> StreamEntry {
        let e = Envelope(id: "env-\(i)", kind: .track, receivedAt: Int64(Date().timeIntervalSince1970 * 1000), tenant: tenant,
                         track: .init(event: "lead", clickId: clickID, eventId: "ev-\(i)", pageUrl: "https://lp.example.com/",
                                      ip: "177.20.30.\(i % 250)", userAgent: userAgent))
        return StreamEntry(stream: "th:ingest:normal", id: "1-\(i)", payload: try e.encoded())
    }

    @Test("500 events with one Meta refuses: 499 sent exactly once, 1 dead-lettered; a redelivery sends nothing again")
    func fiveHundred() async throws {
        let meta = InMemoryCAPITransport(respond: InMemoryCAPITransport.rejecting(["ev-137"]))
        let entries = try (0..<500).map { try Self.lead($0) }
        try await pipeline(meta).process(entries, config: config)

        let accepted = meta.acceptedEventIDs
        #expect(accepted.count == 499 && Set(accepted).count == 499 && !accepted.contains("ev-137"))
        #expect(storage.deadLetters.map(\.eventID) == ["ev-137"] && storage.deadLetters[0].reason == .invalid)
        #expect(queue.dlqStream.map(\.eventID) == ["ev-137"])
        #expect(storage.ledger(outcome: .sent).count == 499 && storage.touchpointCount == 500)
        #expect(queue.scheduled.isEmpty)

        // The same entries again (a crash before XACK): the ledger shows 499 sent, so only the
        // dead-lettered one (owned by its envelope, never sent) is tried again — and refused again.
        try await pipeline(meta).process(entries, config: config)
        #expect(meta.acceptedEventIDs.count == 499)
        #expect(storage.ledger(outcome: .skippedDuplicate).count == 499)
        #expect(storage.deadLetters.map(\.eventID) == ["ev-137", "ev-137"])
    }

    @Test("a /track event borrows its click's data only from a click of its own tenant")
    func clickLending() async throws {
        let meta = InMemoryCAPITransport()
        let clickID = "01JD0000000000000000000001"
        let click = Envelope(id: "env-click", kind: .click, receivedAt: Int64(Date().timeIntervalSince1970 * 1000), tenant: "t2",
                             click: .init(slug: "s", pixel: nil, clickId: clickID, ip: "10.0.0.1", userAgent: "ClickUA", referrer: nil,
                                          utm: [:], fbclid: "abc", gclid: nil, ttclid: nil, fbc: "fb.1.1790000000000.abc", fbp: nil,
                                          destination: "https://lp.example.com/x?fbclid=abc"))
        let clickEntry = StreamEntry(stream: "th:ingest:normal", id: "0-1", payload: try click.encoded())
        // Same click id, tenant t1, no user agent of its own: the t2 click must not lend its UA.
        try await pipeline(meta).process([clickEntry, try Self.lead(1, tenant: "t1", clickID: clickID, userAgent: nil)], config: config)
        let sent = try #require(storage.ledger(outcome: .sent).first { $0.eventID == "ev-1" })
        #expect(sent.payload?.contains("ClickUA") == false && sent.payload?.contains("\"action_source\":\"system_generated\"") == true)
    }

    @Test("a transient failure is scheduled with backoff; the retry round sends it once and completes it")
    func retryRound() async throws {
        let failing = InMemoryCAPITransport { _, _ in InMemoryCAPITransport.graphError(status: 500, code: 1) }
        try await pipeline(failing).process([try Self.lead(1)], config: config)
        #expect(storage.ledger(outcome: .retryScheduled).count == 1 && failing.acceptedEventIDs.isEmpty)
        let due = queue.claimAll()
        #expect(due.map(\.eventID) == ["ev-1"] && due[0].attempts == 1)

        let meta = InMemoryCAPITransport()
        try await pipeline(meta).processRetries(due, config: config)
        #expect(meta.acceptedEventIDs == ["ev-1"] && queue.scheduled.isEmpty)
        #expect(storage.ledger(outcome: .sent).map(\.attempt) == [2])
    }
}
