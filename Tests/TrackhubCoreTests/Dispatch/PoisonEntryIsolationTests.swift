import Synchronization
import Testing
@testable import TrackhubCore

@Suite("consumer: a batch Postgres refuses is isolated entry by entry")
struct PoisonEntryIsolationTests {
    static func entry(_ id: String) -> StreamEntry { StreamEntry(stream: "th:ingest:normal", id: id, payload: Array("{\"id\":\"\(id)\"}".utf8)) }

    @Test("the refused entry is dead-lettered with its payload; the others are processed")
    func isolates() async throws {
        let processed = Mutex<[String]>([]), recorded = Mutex<[DeadLetter]>([])
        try await PoisonEntryIsolation.process(
            ["1-0", "2-0", "3-0"].map(Self.entry),
            process: { batch in
                if batch.contains(where: { $0.id == "2-0" }) { throw PostgresError(.queryFailed, "bad value", sqlState: "22P02") }
                processed.withLock { $0 += batch.map(\.id) }
            },
            record: { r in recorded.withLock { $0 += r.deadLetters } },
            isolating: { _ in })
        #expect(processed.withLock { $0 } == ["1-0", "3-0"])
        let letters = recorded.withLock { $0 }
        #expect(letters.map(\.streamEntry) == ["th:ingest:normal/2-0"] && letters[0].reason == .unparseable && letters[0].payload == "{\"id\":\"2-0\"}")
    }

    @Test("a connection problem is not isolated: it propagates and nothing is recorded")
    func connectionProblem() async {
        let recorded = Mutex(0)
        await #expect(throws: PostgresError.self) {
            try await PoisonEntryIsolation.process(
                [Self.entry("1-0"), Self.entry("2-0")],
                process: { _ in throw PostgresError(.connectionLost, "gone") },
                record: { _ in recorded.withLock { $0 += 1 } },
                isolating: { _ in })
        }
        #expect(recorded.withLock { $0 } == 0)
    }
}
