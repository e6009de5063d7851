import Foundation
import Testing
@testable import TrackhubCore

@Suite("RetryPolicy")
struct RetryPolicyTests {
    let policy = RetryPolicy()

    @Test("Defaults: 1 s base, 15 min cap, 12 attempts, 1 h margin in a 7-day window")
    func defaults() {
        #expect(policy.base == .seconds(1))
        #expect(policy.cap == .seconds(900))
        #expect(policy.maxAttempts == 12)
        #expect(policy.safetyMargin == .seconds(3_600))
        #expect(policy.eventMaxAge == .seconds(604_800))
    }

    @Test("The ceiling doubles from the base and stops at the cap")
    func ceilings() {
        let seconds = (1...12).map { policy.ceilingNanoseconds(attempt: $0) / 1_000_000_000 }
        #expect(seconds == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900])
        #expect(policy.ceilingNanoseconds(attempt: 10_000) == 900_000_000_000)
        #expect(RetryPolicy(base: .milliseconds(250)).ceilingNanoseconds(attempt: 3) == 1_000_000_000)
        #expect(RetryPolicy(base: .seconds(2_000)).ceilingNanoseconds(attempt: 1) == 900_000_000_000)
    }

    @Test("Every delay is within [0, min(cap, base * 2^(attempt-1))]")
    func bounds() {
        var rng = MetaTestRNG(seed: 42)
        for attempt in 1..<policy.maxAttempts {
            let ceiling = Duration.nanoseconds(policy.ceilingNanoseconds(attempt: attempt))
            for _ in 0..<500 {
                let delay = policy.nextDelay(attempt: attempt, random: &rng)
                #expect(delay != nil)
                if let delay {
                    #expect(delay >= .zero)
                    #expect(delay <= ceiling)
                    #expect(delay <= policy.cap)
                }
            }
        }
    }

    @Test("Jitter is full: draws spread over the whole range, not just near the ceiling")
    func fullJitter() {
        var rng = MetaTestRNG(seed: 7)
        let delays = (0..<2_000).compactMap { _ in policy.nextDelay(attempt: 5, random: &rng) }  // ceiling 16 s
        #expect(delays.count == 2_000)
        #expect(delays.contains { $0 < .seconds(2) })
        #expect(delays.contains { $0 > .seconds(14) })
        let mean = delays.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
            .reduce(0, +) / Double(delays.count)
        #expect(abs(mean - 8) < 0.6, "mean \(mean) of uniform 0...16 s")
    }

    @Test("No delay once the attempts are spent; attempts below 1 count as 1")
    func exhausted() {
        var rng = MetaTestRNG(seed: 1)
        #expect(policy.nextDelay(attempt: 11, random: &rng) != nil)
        #expect(policy.nextDelay(attempt: 12, random: &rng) == nil)
        #expect(policy.nextDelay(attempt: 100, random: &rng) == nil)
        for _ in 0..<100 {
            let delay = policy.nextDelay(attempt: 0, random: &rng)
            #expect(delay != nil && delay! <= .seconds(1))
        }
        #expect(RetryPolicy(maxAttempts: 1).nextDelay(attempt: 1, random: &rng) == nil)
    }

    @Test("Same seed, same delays: retries are reproducible in tests")
    func reproducible() {
        var a = MetaTestRNG(seed: 99)
        var b = MetaTestRNG(seed: 99)
        let first = (1...11).map { policy.nextDelay(attempt: $0, random: &a) }
        let second = (1...11).map { policy.nextDelay(attempt: $0, random: &b) }
        #expect(first == second)
    }

    @Test("A zero base gives zero delays rather than failing")
    func zeroBase() {
        var rng = MetaTestRNG(seed: 3)
        #expect(RetryPolicy(base: .zero).nextDelay(attempt: 4, random: &rng) == .zero)
    }

    @Test("Next attempt time is now + delay while it lands before eventTime + 7 d - 1 h")
    func attemptTime() throws {
        let now = MetaTestSupport.now
        var rng = MetaTestRNG(seed: 5)
        let fresh = now.addingTimeInterval(-60)
        let at = try #require(policy.nextAttemptTime(attempt: 3, now: now, eventTime: fresh, random: &rng))
        #expect(at >= now)
        #expect(at <= now.addingTimeInterval(4))

        // The window closes in 10 s; a first retry (≤ 1 s) still fits.
        let nearlyStale = now.addingTimeInterval(-(7 * 86_400 - 3_600 - 10))
        #expect(policy.nextAttemptTime(attempt: 1, now: now, eventTime: nearlyStale, random: &rng) != nil)
        // Already inside the safety margin: never.
        let stale = now.addingTimeInterval(-(7 * 86_400 - 1_800))
        for attempt in 1...11 {
            #expect(policy.nextAttemptTime(attempt: attempt, now: now, eventTime: stale, random: &rng) == nil)
        }
        // A long delay that would cross the deadline is refused even though attempts remain.
        let closesInOneMinute = now.addingTimeInterval(-(7 * 86_400 - 3_600 - 60))
        var crossed = false
        for _ in 0..<200 where policy.nextAttemptTime(attempt: 11, now: now, eventTime: closesInOneMinute, random: &rng) == nil {
            crossed = true
        }
        #expect(crossed)
        // Attempts exhausted: never, however fresh the event.
        #expect(policy.nextAttemptTime(attempt: 12, now: now, eventTime: now, random: &rng) == nil)
    }
}

@Suite("RetryPolicy with the system generator")
struct RetryPolicySystemRandomTests {
    @Test("Conveniences respect the same bounds")
    func systemRandom() {
        let policy = RetryPolicy()
        for attempt in 1...11 {
            let delay = policy.nextDelay(attempt: attempt)
            #expect(delay != nil && delay! <= .nanoseconds(policy.ceilingNanoseconds(attempt: attempt)))
        }
        #expect(policy.nextDelay(attempt: 12) == nil)
        let now = MetaTestSupport.now
        #expect(policy.nextAttemptTime(attempt: 1, now: now, eventTime: now) != nil)
        #expect(policy.nextAttemptTime(attempt: 1, now: now, eventTime: now.addingTimeInterval(-7 * 86_400)) == nil)
    }
}
