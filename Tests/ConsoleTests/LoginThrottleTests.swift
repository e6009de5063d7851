import Foundation
import Testing
import TrackhubConsole

/// Login rate limiting as a pure rule over failure times (no clock, no sleeping).
@Suite("Console login throttle")
struct LoginThrottleTests {
    let now = Date(timeIntervalSince1970: 1_000_000)

    @Test("four failures allow, the fifth inside the window refuses until the oldest leaves it")
    func rule() {
        let four = (0..<4).map { now.addingTimeInterval(-Double($0) * 60) }
        #expect(LoginThrottle.decide(failures: four, now: now, maxFailures: 5, window: 900) == .allow)
        let five = four + [now.addingTimeInterval(-600)]
        #expect(LoginThrottle.decide(failures: five, now: now, maxFailures: 5, window: 900) == .refuse(retryAfterSeconds: 300))
        let old = four + [now.addingTimeInterval(-901)]
        #expect(LoginThrottle.decide(failures: old, now: now, maxFailures: 5, window: 900) == .allow)
    }

    @Test("failures count per key; success clears the login's, not the address's")
    func keys() {
        let throttle = LoginThrottle(maxFailures: 2, window: 900)
        throttle.recordFailure(["login:a", "ip:1"], now: now)
        throttle.recordFailure(["login:b", "ip:1"], now: now)
        #expect(throttle.check(["login:c", "ip:1"], now: now) != .allow, "the address failed twice")
        #expect(throttle.check(["login:a", "ip:2"], now: now) == .allow)
        throttle.recordFailure(["login:a", "ip:2"], now: now)
        #expect(throttle.check(["login:a", "ip:3"], now: now) != .allow)
        throttle.recordSuccess("login:a")
        #expect(throttle.check(["login:a", "ip:3"], now: now) == .allow)
    }
}
