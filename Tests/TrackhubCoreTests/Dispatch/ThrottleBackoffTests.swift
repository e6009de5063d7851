import Foundation
import Testing
@testable import TrackhubCore

/// Throttling backs off pixel-wide, honours Meta's hints, and never spends the retry budget.
@Suite("throttle backoff and hints")
struct ThrottleBackoffTests {
    typealias V = DispatchTestValues

    @Test("each throttle in a row doubles the pause, up to the cap")
    func doubles() {
        let b = ThrottleBackoff(base: .seconds(60), cap: .seconds(600))
        #expect((1...6).map { b.pause(strike: $0, hint: nil) } == [.seconds(60), .seconds(120), .seconds(240), .seconds(480), .seconds(600), .seconds(600)])
        #expect(b.pause(strike: 0, hint: nil) == .seconds(60))
        #expect(b.pause(strike: 10_000, hint: nil) == .seconds(600))
        // A cap below the base is the base.
        #expect(ThrottleBackoff(base: .seconds(5), cap: .seconds(1)).pause(strike: 3, hint: nil) == .seconds(5))
    }

    @Test("Meta's hint wins over the computed pause, at least 1 s, at most the ceiling")
    func hints() {
        let b = ThrottleBackoff(base: .seconds(60), cap: .seconds(600), hintCeiling: .seconds(3600))
        #expect(b.pause(strike: 4, hint: .seconds(30)) == .seconds(30))
        #expect(b.pause(strike: 1, hint: .seconds(900)) == .seconds(900))
        #expect(b.pause(strike: 1, hint: .milliseconds(10)) == .seconds(1))
        #expect(b.pause(strike: 1, hint: .seconds(86_400)) == .seconds(3600))
        #expect(b.pause(strike: 2, hint: .zero) == .seconds(120))
    }

    @Test("Retry-After in seconds or as an HTTP date; X-Business-Use-Case-Usage in minutes; the longest wins")
    func parse() {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(ThrottleHint.wait(retryAfter: "120", businessUseCaseUsage: nil, now: now) == .seconds(120))
        #expect(ThrottleHint.wait(retryAfter: " 5 ", businessUseCaseUsage: nil, now: now) == .seconds(5))
        // An IMF-fixdate 90 s after `now`, written from its components.
        let later = now.addingTimeInterval(90)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: later)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let text = "\(days[c.weekday! - 1]), \(two(c.day!)) \(ThrottleHint.months[c.month! - 1]) \(c.year!) \(two(c.hour!)):\(two(c.minute!)):\(two(c.second!)) GMT"
        #expect(ThrottleHint.wait(retryAfter: text, businessUseCaseUsage: nil, now: now) == .seconds(90))
        #expect(ThrottleHint.wait(retryAfter: text, businessUseCaseUsage: nil, now: later.addingTimeInterval(1)) == nil, "a date in the past")
        let usage = #"{"112233":[{"type":"ads_management","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":5},{"type":"custom_audience","estimated_time_to_regain_access":12}]}"#
        #expect(ThrottleHint.wait(retryAfter: nil, businessUseCaseUsage: usage, now: now) == .seconds(12 * 60))
        #expect(ThrottleHint.wait(retryAfter: "30", businessUseCaseUsage: usage, now: now) == .seconds(12 * 60))
        let zero = #"{"1":[{"type":"ads_insights","estimated_time_to_regain_access":0}]}"#
        #expect(ThrottleHint.wait(retryAfter: nil, businessUseCaseUsage: zero, now: now) == nil)
        for junk in ["", "soon", "-5", "1.5", "Wed, 99 Foo 2026 07:28:00 GMT"] {
            #expect(ThrottleHint.wait(retryAfter: junk, businessUseCaseUsage: "not json", now: now) == nil, "\(junk)")
        }
    }

    @Test("a throttled event is rescheduled after the backed-off pause without spending its retry budget")
    func budget() throws {
        let decider = OutcomeDecider(retryPolicy: RetryPolicy(maxAttempts: 3), throttle: ThrottleBackoff(base: .seconds(60), cap: .seconds(600)))
        var random = FixedRandom()
        var attempt = V.attempt()
        attempt.throttleStrike = 3
        // Two attempts made, one of them throttled: a transient failure now would be the last allowed.
        var e = V.event("a", attempts: 2)
        e.throttled = 1
        let d = decider.decide([e], outcome: V.failure(.throttled, message: "slow down"), attempt: attempt, random: &random)
        #expect(d.pause == .init(reason: "throttled: slow down", duration: .seconds(240)))
        let (next, due) = try #require(d.result.schedule.first)
        #expect(due == 1_790_000_240_000 && d.halt == .until(dueMs: due))
        #expect(next.attempts == 3 && next.throttled == 2 && d.result.deadLetters.isEmpty)
        #expect(d.result.ledger.map(\.outcome) == [.retryScheduled] && d.result.ledger[0].attempt == 3)
        // Three attempts, two throttled: a transient failure is only the second counted one.
        let t = decider.decide([next], outcome: V.failure(.transient), attempt: V.attempt(), random: &random)
        #expect(t.result.schedule.count == 1 && t.result.deadLetters.isEmpty)
        var spent = V.event("b", attempts: 2)
        spent.throttled = 0
        let s = decider.decide([spent], outcome: V.failure(.transient), attempt: V.attempt(), random: &random)
        #expect(s.result.deadLetters.map(\.reason) == [.retriesExhausted])
    }

    @Test("a hint carries the pause; a pause past Meta's window dead-letters the event as expired")
    func hintAndWindow() {
        let decider = OutcomeDecider(throttle: ThrottleBackoff(base: .seconds(60), cap: .seconds(600), hintCeiling: .seconds(7200)))
        var random = FixedRandom()
        var attempt = V.attempt()
        attempt.throttleHint = .seconds(3600)
        let fresh = decider.decide([V.event("a")], outcome: V.failure(.throttled), attempt: attempt, random: &random)
        #expect(fresh.pause?.duration == .seconds(3600) && fresh.result.schedule.map(\.1) == [1_790_003_600_000])
        let nearlyOld = V.event("b", time: V.now.addingTimeInterval(-(7 * 86_400 - 3_600 - 60)))
        let old = decider.decide([nearlyOld], outcome: V.failure(.throttled), attempt: attempt, random: &random)
        #expect(old.result.deadLetters.map(\.reason) == [.expired] && old.result.schedule.isEmpty)
    }

    @Test("throttled counts survive the retry schedule's encoding; old entries decode with none")
    func coding() throws {
        var e = V.event("a", attempts: 4)
        e.throttled = 3
        let decoded = try JSONDecoder().decode(OutboundEvent.self, from: JSONEncoder().encode(e))
        #expect(decoded.throttled == 3 && decoded.attempts == 4)
        let plain = try JSONEncoder().encode(V.event("b", attempts: 1))
        #expect(!String(decoding: plain, as: UTF8.self).contains("throttled"))
        #expect(try JSONDecoder().decode(OutboundEvent.self, from: plain).throttled == 0)
    }

    @Test("the retry lease follows the send timeout, at least 10 s")
    func lease() {
        #expect(RetryService.lease(sendTimeout: .milliseconds(1500)) == .seconds(10))
        #expect(RetryService.lease(sendTimeout: .seconds(10)) == .seconds(40))
        #expect(ClaimKeeper.renewalInterval(limit: .seconds(60)) == .seconds(20))
        #expect(ClaimKeeper.renewalInterval(limit: .milliseconds(60)) == .milliseconds(50))
    }
}
