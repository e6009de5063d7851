/// What one alert is about: a rule and its subject (a pixel, a stream, a gateway account, an
/// ingestd instance), and the tenant whose chat hears about it (nil: the operator's alert).
/// Two conditions with the same key are the same alert, so it fires once and repeats.
public struct AlertKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var rule: AlertRule
    public var tenant: String?
    public var subject: String

    public init(_ rule: AlertRule, tenant: String?, subject: String) {
        self.rule = rule
        self.tenant = tenant
        self.subject = subject
    }

    /// `rule|tenant|subject`: the stored form (alert state, history).
    public var id: String { "\(rule.rawValue)|\(tenant ?? "")|\(subject)" }

    /// The inverse of ``id``; nil for text that is not one.
    public init?(id: String) {
        let parts = id.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let rule = AlertRule(rawValue: parts[0]) else { return nil }
        self.init(rule, tenant: parts[1].isEmpty ? nil : parts[1], subject: parts[2])
    }

    public var description: String { id }

    public static func < (lhs: AlertKey, rhs: AlertKey) -> Bool { lhs.id < rhs.id }
}
