import Foundation
import Testing
@testable import TrackhubCore

@Suite("outcome decision: a classified answer → ledger, finished, retry, park, dead letter, bisect")
struct OutcomeDeciderTests {
    typealias V = DispatchTestValues
    let decider = OutcomeDecider(retryPolicy: RetryPolicy(), throttle: ThrottleBackoff(base: .seconds(60)))

    func decide(_ chunk: [OutboundEvent], _ outcome: MetaOutcome, now: Date = V.now) -> OutcomeDecider.Decision {
        var random = FixedRandom()
        return decider.decide(chunk, outcome: outcome, attempt: V.attempt(now: now), random: &random)
    }

    @Test("accepted: every event sent and finished, with the request's facts and payload")
    func accepted() {
        let d = decide(V.events(3), .accepted(eventsReceived: 3, fbtraceID: "T1"))
        #expect(d.verdict == .accepted(fbtraceID: "T1") && d.halt == nil && d.pause == nil)
        #expect(d.result.ledger.map(\.outcome) == [.sent, .sent, .sent] && d.result.finished.count == 3)
        #expect(d.result.ledger.allSatisfy { $0.requestID == "req-1" && $0.fbtraceID == "T1" && $0.attempt == 1 })
    }

    @Test("transient: retried with full-jitter backoff, attempt counted, the pixel goes on")
    func transient() throws {
        let d = decide([V.event("a", attempts: 2)], V.failure(.transient))
        #expect(d.verdict != .accepted(fbtraceID: nil) && d.halt == nil && d.pause == nil)
        let (next, due) = try #require(d.result.schedule.first)
        #expect(next.attempts == 3)
        // Attempt 3: delay in 0...min(15 min, 1 s × 2²) = 0...4 s.
        #expect(due >= 1_790_000_000_000 && due <= 1_790_000_004_000)
        #expect(d.result.ledger.map(\.outcome) == [.retryScheduled] && d.result.ledger[0].attempt == 3 && d.result.finished.isEmpty)
    }

    @Test("throttled: the pixel is paused for everyone, events rescheduled after the pause, the rest halted until then")
    func throttled() {
        let d = decide(V.events(2), V.failure(.throttled, message: "slow down"))
        let due: Int64 = 1_790_000_060_000
        #expect(d.halt == .until(dueMs: due) && d.pause == .init(reason: "throttled: slow down", duration: .seconds(60)))
        #expect(d.result.schedule.allSatisfy { $0.1 >= due } && d.result.park.isEmpty)
        #expect(d.result.ledger.map(\.outcome) == [.retryScheduled, .retryScheduled])
    }

    @Test("token or permission refused: parked (not burned), pixel paused until a new token, the rest parked too")
    func token() {
        for c in [MetaFailure.FailureClass.token, .permission] {
            let d = decide(V.events(2), V.failure(c, message: "bad token"))
            #expect(d.halt == .park && d.result.park.count == 2 && d.result.schedule.isEmpty && d.result.deadLetters.isEmpty)
            #expect(d.pause?.duration == nil && d.pause?.reason == "\(c.rawValue): bad token \(PixelControl.tokenMarker("TOKEN"))")
            #expect(d.result.ledger.map(\.outcome) == [.parked, .parked])
        }
    }

    @Test("invalid with several events: batch_rejected, bisected into halves with the attempt counted")
    func bisect() {
        let chunk = V.events(5)
        let d = decide(chunk, V.failure(.invalid))
        guard case .bisect(let first, let second, _) = d.verdict else { Issue.record("not bisected: \(d.verdict)"); return }
        #expect(first.map(\.eventID) == ["e0", "e1", "e2"] && second.map(\.eventID) == ["e3", "e4"])
        #expect((first + second).allSatisfy { $0.attempts == 1 } && d.halt == nil)
        #expect(d.result.ledger.map(\.outcome) == Array(repeating: .batchRejected, count: 5) && d.result.finished.isEmpty)
    }

    @Test("invalid or expired alone: the culprit is dead-lettered with Meta's message")
    func culprit() {
        let invalid = decide([V.event("bad")], V.failure(.invalid, message: "Invalid parameter"))
        #expect(invalid.result.deadLetters.map(\.reason) == [.invalid] && invalid.result.deadLetters[0].detail == "Invalid parameter")
        #expect(invalid.result.finished.map(\.eventID) == ["bad"] && invalid.result.ledger.map(\.outcome) == [.deadLettered])
        let expired = decide([V.event("old")], V.failure(.expired))
        #expect(expired.result.deadLetters.map(\.reason) == [.expired])
    }

    @Test("retries exhausted → retries_exhausted; a retry past Meta's window → expired")
    func retryRefused() {
        let spent = decide([V.event("a", attempts: 11)], V.failure(.transient))
        #expect(spent.result.deadLetters.map(\.reason) == [.retriesExhausted] && spent.result.schedule.isEmpty)
        #expect(spent.result.deadLetters[0].detail.hasPrefix("transient after 12 attempts"))
        let nearlyOld = V.event("b", time: V.now.addingTimeInterval(-(7 * 86_400 - 3_600 + 1)))
        let late = decide([nearlyOld], V.failure(.transient))
        #expect(late.result.deadLetters.map(\.reason) == [.expired] && late.result.schedule.isEmpty)
    }
}
