public import Foundation

/// Decides what to send: from the facts, the previous state and the time, the notifications
/// of this round and the state to keep. Pure, so every rule's fire / repeat / resolve can be
/// unit-tested by stepping `now`.
///
/// - A condition not in the state fires once.
/// - While it holds it repeats, first after ``AlertThresholds/repeatMinutes``, each interval
///   double the last up to ``AlertThresholds/repeatCapMinutes`` (bounded rate).
/// - When it is gone for ``AlertThresholds/resolveAfterSeconds`` it resolves once. A rule
///   whose facts were not read this round (``AlertFacts/observed``) keeps its alerts as they are.
public struct AlertEngine: Sendable {
    public var thresholds: AlertThresholds

    public init(thresholds: AlertThresholds = AlertThresholds()) {
        self.thresholds = thresholds
    }

    public struct Round: Sendable, Equatable {
        public var notifications: [AlertNotification]
        public var state: AlertState
    }

    public func evaluate(facts: AlertFacts, previous: AlertState, now: Date) -> Round {
        let conditions = AlertConditions.derive(facts, thresholds: thresholds, now: now)
        return step(conditions: conditions, observed: facts.observed, previous: previous, now: now)
    }

    /// The state machine over already-derived conditions.
    public func step(conditions: [AlertCondition], observed: Set<AlertRule>, previous: AlertState, now: Date) -> Round {
        var next: [AlertKey: ActiveAlert] = [:]
        var out: [AlertNotification] = []
        var holding = Set<AlertKey>()
        for condition in conditions where !holding.contains(condition.key) {
            holding.insert(condition.key)
            guard var alert = previous.active[condition.key] else {
                next[condition.key] = ActiveAlert(condition: condition, firstSeenAt: now, lastNotifiedAt: now, notifications: 1)
                out.append(AlertNotification(kind: .fired, condition: condition, firstSeenAt: now, at: now, sequence: 1))
                continue
            }
            alert.condition = condition
            alert.clearSince = nil
            let due = alert.lastNotifiedAt.addingTimeInterval(TimeInterval(thresholds.repeatInterval(afterNotifications: alert.notifications).wholeMilliseconds) / 1000)
            if now >= due {
                alert.notifications += 1
                alert.lastNotifiedAt = now
                out.append(AlertNotification(kind: .repeated, condition: condition, firstSeenAt: alert.firstSeenAt, at: now,
                                             sequence: alert.notifications))
            }
            next[condition.key] = alert
        }
        for (key, alert) in previous.active where !holding.contains(key) {
            guard observed.contains(key.rule) else {
                next[key] = alert
                continue
            }
            var waiting = alert
            let since = alert.clearSince ?? now
            if now.timeIntervalSince(since) >= TimeInterval(thresholds.resolveAfterSeconds) {
                out.append(AlertNotification(kind: .resolved, condition: alert.condition, firstSeenAt: alert.firstSeenAt, at: now,
                                             sequence: alert.notifications + 1))
            } else {
                waiting.clearSince = since
                next[key] = waiting
            }
        }
        out.sort { ($0.key, $0.kind.rawValue) < ($1.key, $1.kind.rawValue) }
        return Round(notifications: out, state: AlertState(active: next))
    }

}
