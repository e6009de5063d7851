/// A rule that holds right now, with the numbers that made it hold (what the message shows).
/// ``AlertConditions`` derives them from ``AlertFacts``; ``AlertEngine`` turns them into
/// notifications.
public struct AlertCondition: Sendable, Equatable {
    public var key: AlertKey
    /// Named values for the message and the webhook JSON (`reason`, `count`, `minutes`, …).
    /// Never personal data: ids, counts, reasons.
    public var values: [String: String]

    public init(_ key: AlertKey, values: [String: String] = [:]) {
        self.key = key
        self.values = values
    }
}
