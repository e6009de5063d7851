public import Foundation

/// When each ad account is imported next — pure state the service keeps in memory (a new
/// lease holder starts with every account due, which costs one import: replacing is idempotent).
///
/// After a success the account waits the interval (default an hour). Failures wait less or
/// more by their kind (``delay(after:streak:interval:retryBase:)``); a code 4 throttle pauses
/// every account.
public struct AdSpendSchedule: Sendable {
    public var interval: Duration
    /// First wait after a transient failure; throttling starts at five times this.
    public var retryBase: Duration
    private var due: [String: Date] = [:]
    private var streaks: [String: Int] = [:]
    /// Nothing is imported before this (Meta's application-wide limit, code 4).
    public private(set) var pausedUntil: Date?

    public init(interval: Duration, retryBase: Duration = .seconds(60)) {
        self.interval = interval
        self.retryBase = retryBase
    }

    static func key(_ tenant: String, _ account: String) -> String { tenant + "/" + account }

    /// True when `account` of `tenant` should be imported at `now`.
    public func isDue(tenant: String, account: String, now: Date) -> Bool {
        if let pausedUntil, now < pausedUntil { return false }
        return due[Self.key(tenant, account)].map { now >= $0 } ?? true
    }

    /// Schedules the next import of `result`'s account.
    public mutating func record(_ result: AdSpendResult, now: Date) {
        let key = Self.key(result.tenant, result.account)
        let failure: AdSpendFailure?
        switch result.outcome {
        case .imported: failure = nil
        case .skipped: failure = AdSpendFailure(kind: .token, message: "")  // rechecked soon: a new token costs no wait
        case .failed(let f): failure = f
        }
        let streak = failure == nil ? 0 : (streaks[key] ?? 0) + 1
        streaks[key] = streak
        let wait = Self.delay(after: failure, streak: streak, interval: interval, retryBase: retryBase)
        due[key] = now.addingTimeInterval(Self.seconds(wait))
        if let failure, failure.appWide { pausedUntil = now.addingTimeInterval(Self.seconds(wait)) }
    }

    /// The wait after an import: the interval after a success or a failure that another try
    /// soon cannot fix (permission, invalid); doubling from `retryBase` (transient) or
    /// 5 × `retryBase` (throttled, never less than Meta's own estimate), capped at the
    /// interval; `retryBase` for a refused or missing token (checking whether it changed costs
    /// no request to Meta).
    public static func delay(after failure: AdSpendFailure?, streak: Int, interval: Duration, retryBase: Duration) -> Duration {
        guard let failure else { return interval }
        func doubling(_ base: Duration) -> Duration {
            let factor = 1 << min(max(streak - 1, 0), 20)
            return min(interval, base * factor)
        }
        switch failure.kind {
        case .token, .noToken: return min(retryBase, interval)
        case .permission, .invalid: return interval
        case .transient: return doubling(retryBase)
        case .throttled: return max(doubling(retryBase * 5), failure.retryAfter ?? .zero)
        }
    }

    static func seconds(_ d: Duration) -> TimeInterval {
        TimeInterval(d.components.seconds) + TimeInterval(d.components.attoseconds) / 1e18
    }
}
