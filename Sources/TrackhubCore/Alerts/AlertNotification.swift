public import Foundation

/// A message to send: an alert fired, repeats because it lasts, or resolved.
public struct AlertNotification: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case fired
        case repeated
        case resolved
    }

    public var kind: Kind
    public var condition: AlertCondition
    public var firstSeenAt: Date
    public var at: Date
    /// Which message about this alert it is (1 = the first).
    public var sequence: Int

    public init(kind: Kind, condition: AlertCondition, firstSeenAt: Date, at: Date, sequence: Int) {
        self.kind = kind
        self.condition = condition
        self.firstSeenAt = firstSeenAt
        self.at = at
        self.sequence = sequence
    }

    public var key: AlertKey { condition.key }
}
