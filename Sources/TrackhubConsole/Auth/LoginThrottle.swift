public import Foundation
import Synchronization

/// Login rate limiting: after ``maxFailures`` failed logins for one login name or from one
/// address within ``window``, further attempts are refused until the oldest failure leaves the
/// window — also with the right password, so guessing gains nothing. The decision is the pure
/// ``decide(failures:now:)``; the instance only keeps the recent failures in memory (one
/// console process per installation; a restart forgets them, which costs an attacker a restart).
public final class LoginThrottle: Sendable {
    public let maxFailures: Int
    public let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    public init(maxFailures: Int = 5, window: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.window = window
    }

    /// What to do with a login attempt, given the failures of its keys.
    public enum Decision: Equatable, Sendable {
        case allow
        /// Refused; the client may try again after this many seconds.
        case refuse(retryAfterSeconds: Int)
    }

    /// The pure rule: refuse once `maxFailures` failures are inside the window.
    public static func decide(failures: [Date], now: Date, maxFailures: Int, window: TimeInterval) -> Decision {
        let recent = failures.filter { now.timeIntervalSince($0) < window }.sorted()
        guard recent.count >= maxFailures, let oldest = recent.first else { return .allow }
        let wait = window - now.timeIntervalSince(oldest)
        return .refuse(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
    }

    /// The decision for an attempt identified by `keys` (the login name and the client address).
    public func check(_ keys: [String], now: Date = Date()) -> Decision {
        failures.withLock { table in
            var worst = Decision.allow
            for key in keys {
                let decision = Self.decide(failures: table[key] ?? [], now: now, maxFailures: maxFailures, window: window)
                if case .refuse(let wait) = decision {
                    if case .refuse(let current) = worst, current >= wait { continue }
                    worst = decision
                }
            }
            return worst
        }
    }

    /// Records a failed attempt against every key.
    public func recordFailure(_ keys: [String], now: Date = Date()) {
        failures.withLock { table in
            for key in keys {
                table[key, default: []].append(now)
                table[key] = table[key]!.filter { now.timeIntervalSince($0) < window }
            }
        }
    }

    /// A successful login clears the login name's failures (not the address's).
    public func recordSuccess(_ key: String) {
        _ = failures.withLock { $0.removeValue(forKey: key) }
    }
}
