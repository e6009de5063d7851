import Foundation
import Testing
import TrackhubCore

/// `DispatchStore.registerForDedupe`: one COPY when every key of the batch is new, the
/// `INSERT … ON CONFLICT` path when a key is taken or repeated — the same decision either way.
@Suite("dedupe registration", .enabled(if: PostgresTestEnvironment.isConfigured, PostgresTestEnvironment.skipReason))
struct DedupeRegistrationTests {
    private func event(_ id: String, envelope: String) -> OutboundEvent {
        OutboundEvent(pixel: "101", envelopeID: envelope,
                      event: CAPIEvent(eventName: .pageView, eventTime: 1_795_000_000, eventId: id, actionSource: .systemGenerated,
                                       userData: CAPIUserData(fbp: "fb.1.1795000000000.1")))
    }

    private func owners(_ conn: PostgresConnection) throws -> [String: String] {
        let rows = try conn.query("SELECT event_id, envelope_id FROM dedupe_registry")
        return Dictionary(uniqueKeysWithValues: try rows.indices.map { (try rows.string($0, "event_id") ?? "", try rows.string($0, "envelope_id") ?? "") })
    }

    @Test("new keys (COPY), a repeated key and keys taken by another envelope (fallback): same owners, nothing lost")
    func decisions() async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let conn = try PostgresConnection(url)
            defer { conn.close() }
            try Migrator().migrate(conn)
            let store = DispatchStore()

            let fresh = [event("a", envelope: "e1"), event("b", envelope: "e2")]
            let first = try store.registerForDedupe(fresh, connection: conn)
            #expect(first.owner == ["101|PageView|a": "e1", "101|PageView|b": "e2"] && first.alreadySent.isEmpty)
            #expect(fresh.allSatisfy(first.mayBeSent))

            // "b" is taken by e2; "c" is new; "c" twice in the batch (two copies of one envelope).
            let mixed = [event("b", envelope: "e9"), event("c", envelope: "e3"), event("c", envelope: "e3")]
            let second = try store.registerForDedupe(mixed, connection: conn)
            #expect(second.owner == ["101|PageView|b": "e2", "101|PageView|c": "e3"])
            #expect(!second.mayBeSent(mixed[0]) && second.mayBeSent(mixed[1]))
            #expect(try owners(conn) == ["a": "e1", "b": "e2", "c": "e3"])

            // Inside a transaction the failed COPY leaves the transaction usable.
            let third = try conn.transaction { tx in
                try store.registerForDedupe([event("a", envelope: "e7"), event("d", envelope: "e4")], connection: tx)
            }
            #expect(third.owner == ["101|PageView|a": "e1", "101|PageView|d": "e4"])
            #expect(try owners(conn) == ["a": "e1", "b": "e2", "c": "e3", "d": "e4"])

            let brin = try conn.query("""
                SELECT count(*) AS n FROM pg_indexes WHERE indexdef LIKE '%USING brin%'
                AND tablename IN ('touchpoints', 'dedupe_registry', 'dispatch_attempts')
                """)
            #expect(try brin.int(0, "n") == 3, "the time columns of touchpoints, dedupe_registry and dispatch_attempts (the ledger's partitions have theirs too)")
        }
    }
}
