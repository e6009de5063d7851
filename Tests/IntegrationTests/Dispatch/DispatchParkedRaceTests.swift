import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Scenario 6d of the fault suite, made deterministic: a worker refused with the old token
/// parks its events after another worker (holding the new token) already lifted the pause, so
/// the events sit parked with no pause left to release. RetryService must reschedule them.
extension DispatchEndToEndTests {
    @Suite("parked events with no pause left")
    struct ParkedRace {
        @Test("events parked after the pause was lifted are rescheduled and delivered, once, without another apply")
        func orphanedParkedEventsAreDelivered() async throws {
            try await withDispatchFixture("parkrace") { f in
                let a = DispatchFixture.pixelA
                // Meta refuses the configured token: the clicks are parked and the pixel paused.
                f.meta.expectToken(pixel: a, token: "EAAB-some-other-token")
                let ids = try await f.clicks(3)
                try await f.eventually("parked after 190") { try Set(f.ledger(outcome: "parked").map(\.eventID)).isSuperset(of: ids) }
                let redis = try f.redis()
                let pause = f.layout.pixelPause(pixel: a)
                #expect(try redis.command(["EXISTS", pause]).int == 1)
                // Meta takes the configured token again, and the pause disappears the way a release
                // by another worker makes it disappear — with the events still parked (the race).
                f.meta.expectToken(pixel: a, token: f.tokenA)
                _ = try redis.command(["DEL", pause])
                #expect(try redis.command(["ZCARD", "\(f.layout.prefix):parked:\(a)"]).int == 3)

                try await f.waitDelivered(ids, pixel: a, timeout: .seconds(20))
                try await f.waitIdle()
                #expect(try redis.command(["ZCARD", "\(f.layout.prefix):parked:\(a)"]).int == 0)
                #expect(f.meta.duplicates().isEmpty)
                #expect(f.workerLogs.contains("rescheduled=3"), "the release is logged with its count")
                print("[parked race] parked=3 delivered=\(Set(f.meta.acceptedEvents(pixel: a).compactMap(\.eventID)).intersection(ids).count) duplicated=0")
            }
        }
    }
}
