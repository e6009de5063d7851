public import Foundation

/// An alert that fired and has not resolved: what the engine remembers between rounds
/// (stored by the shell, so a new lease holder continues where the last one stopped instead of
/// firing everything again).
public struct ActiveAlert: Sendable, Equatable {
    /// The latest condition (its values are what the next repeat shows).
    public var condition: AlertCondition
    public var firstSeenAt: Date
    public var lastNotifiedAt: Date
    /// Messages sent about it so far (the first one included).
    public var notifications: Int
    /// When the condition was first seen clear, while it waits for ``AlertThresholds/resolveAfterSeconds``.
    public var clearSince: Date?

    public init(condition: AlertCondition, firstSeenAt: Date, lastNotifiedAt: Date, notifications: Int, clearSince: Date? = nil) {
        self.condition = condition
        self.firstSeenAt = firstSeenAt
        self.lastNotifiedAt = lastNotifiedAt
        self.notifications = notifications
        self.clearSince = clearSince
    }

    public var key: AlertKey { condition.key }
}
