import Foundation
import Testing
@testable import TrackhubCore

@Suite("plan sends: the dedupe decision → per-pixel sends, held sales, skipped duplicates")
struct SendPlanTests {
    typealias V = DispatchTestValues

    func owned(_ events: [OutboundEvent], alreadySent: Set<String> = []) -> DispatchStore.DedupeDecision {
        var d = DispatchStore.DedupeDecision(alreadySent: alreadySent)
        for e in events where d.owner[e.key] == nil { d.owner[e.key] = e.envelopeID }
        return d
    }

    @Test("only the owner envelope sends; another envelope's copy is a skipped duplicate")
    func owner() {
        let mine = V.event("ev1", envelope: "env-A")
        let theirs = V.event("ev1", envelope: "env-B")
        let plan = SendPlan(candidates: [mine, theirs], dedupe: owned([mine]), holdDueMs: 0)
        #expect(plan.pixels.count == 1 && plan.pixels[0].events == [mine])
        #expect(plan.duplicates.map(\.why) == ["another envelope"])
        #expect(plan.ledger.map(\.outcome) == [.skippedDuplicate] && plan.ledger[0].envelopeID == "env-B" && plan.ledger[0].payload == nil)
    }

    @Test("a redelivered envelope whose event the ledger shows sent is not sent again")
    func alreadySent() {
        let e = V.event("ev1")
        let plan = SendPlan(candidates: [e], dedupe: owned([e], alreadySent: [e.key]), holdDueMs: 0)
        #expect(plan.pixels.isEmpty && plan.duplicates.map(\.why) == ["already sent"])
    }

    @Test("the same event twice in one batch is sent once")
    func repeatedInBatch() {
        let e = V.event("ev1")
        let plan = SendPlan(candidates: [e, e], dedupe: owned([e]), holdDueMs: 0)
        #expect(plan.pixels[0].events == [e] && plan.duplicates.map(\.why) == ["repeated in batch"])
    }

    @Test("a sale waiting for its late click is held, due at the first recheck or its deadline, whichever is first")
    func lateClickHold() {
        var sale = V.event("hotmart.HP1", envelope: "env-sale")
        sale.hold = LateClickHold(tenant: "t1", clickIDs: ["01JD0000000000000000000000"], deadlineMs: 5_000, sinceMs: 1_000)
        let plan = SendPlan(candidates: [sale], dedupe: owned([sale]), holdDueMs: 2_000)
        #expect(plan.pixels.isEmpty && plan.held.count == 1 && plan.held[0].dueMs == 2_000)
        #expect(plan.ledger.map(\.outcome) == [.held] && plan.ledger[0].metaMessage == "waiting for click 01JD0000000000000000000000")
        #expect(plan.result.schedule.map(\.1) == [2_000])
        let late = SendPlan(candidates: [sale], dedupe: owned([sale]), holdDueMs: 9_000)
        #expect(late.held[0].dueMs == 5_000)
        // A held sale is still deduplicated.
        let dup = SendPlan(candidates: [sale, sale], dedupe: owned([sale]), holdDueMs: 2_000)
        #expect(dup.held.count == 1 && dup.duplicates.count == 1)
    }

    @Test("events are grouped per pixel, in the order the pixels were first seen")
    func perPixel() {
        let a = V.event("a", pixel: "p2"), b = V.event("b", pixel: "p1"), c = V.event("c", pixel: "p2")
        let plan = SendPlan(candidates: [a, b, c], dedupe: owned([a, b, c]), holdDueMs: 0)
        #expect(plan.pixels.map(\.pixel) == ["p2", "p1"] && plan.pixels[0].events == [a, c])
    }
}
