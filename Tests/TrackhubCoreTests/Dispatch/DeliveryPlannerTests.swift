import Foundation
import Testing
@testable import TrackhubCore

@Suite("delivery planning: expired, dry run, no token, paused, rate limit, requests")
struct DeliveryPlannerTests {
    typealias V = DispatchTestValues
    let planner = DeliveryPlanner()

    @Test("an event past Meta's window is dead-lettered before batching; the others go on")
    func expired() {
        let old = V.event("old", time: V.now.addingTimeInterval(-7 * 86_400 + 200))
        let fresh = V.event("fresh")
        let t = planner.triage([old, fresh], pixel: V.pixel(), now: V.now)
        #expect(t.disposition == .send && t.events == [fresh])
        #expect(t.result.deadLetters.map(\.reason) == [.expired] && t.result.deadLetters[0].eventID == "old")
        #expect(t.result.ledger.map(\.outcome) == [.deadLettered] && t.result.finished == [old])
    }

    @Test("a dry-run pixel records every event as dry_run and sends nothing")
    func dryRun() {
        let t = planner.triage(V.events(3), pixel: V.pixel(mode: .dryRun), now: V.now)
        #expect(t.disposition == .dryRun && t.result.ledger.map(\.outcome) == [.dryRun, .dryRun, .dryRun])
        #expect(t.result.finished.count == 3 && t.result.ledger.allSatisfy { $0.payload != nil })
    }

    @Test("a pixel without a usable token parks its events")
    func noToken() {
        let t = planner.triage(V.events(2), pixel: V.pixel(token: nil), now: V.now)
        #expect(t.disposition == .noToken && t.result.park.count == 2)
        #expect(t.result.ledger.allSatisfy { $0.outcome == .parked && $0.metaMessage == "no access token" })
    }

    @Test("a throttled pixel's events wait for the end of the pause; a token pause parks them")
    func paused() {
        let throttled = planner.whilePaused(V.events(2), pause: PixelControl.Pause(reason: "throttled", remainingMs: 30_000), now: V.now)
        #expect(throttled.schedule.map(\.1) == [1_790_000_030_000, 1_790_000_030_000] && throttled.park.isEmpty && throttled.ledger.isEmpty)
        let token = planner.whilePaused(V.events(2), pause: PixelControl.Pause(reason: "token: bad [token ab]", remainingMs: nil), now: V.now)
        #expect(token.park.count == 2 && token.schedule.isEmpty && token.ledger.allSatisfy { $0.outcome == .parked })
    }

    @Test("the rate-limit grant splits: the rest is scheduled when the bucket refills (at least 50 ms)")
    func grant() {
        let events = V.events(10)
        let p = planner.afterGrant(events, grant: PixelGrant(granted: 4, waitMs: 10), batchSize: 3, now: V.now)
        #expect(p.rateLimited == 6 && p.result.schedule.count == 6 && p.result.schedule.allSatisfy { $0.1 == 1_790_000_000_050 })
        #expect(p.requests.map(\.count) == [3, 1] && p.requests.flatMap { $0 } == Array(events.prefix(4)))
    }

    @Test("requests hold at most the pixel's batch size and never more than Meta's 1000")
    func chunking() {
        let events = V.events(2_500)
        #expect(planner.requests(events, batchSize: 500).map(\.count) == [500, 500, 500, 500, 500])
        #expect(planner.requests(events, batchSize: 5_000).map(\.count) == [1000, 1000, 500])
        #expect(planner.requests(Array(events.prefix(3)), batchSize: 0).map(\.count) == [1, 1, 1])
        #expect(planner.requests(events, batchSize: 700).flatMap { $0 } == events)
    }
}
