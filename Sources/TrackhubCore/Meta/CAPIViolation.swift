/// One reason Meta would reject (or must not be sent) an event, found before sending.
///
/// `kind` is what a dispatcher routes on: an `expired` event can never be delivered (Meta
/// refuses events more than 7 days old), an `invalid` one means our data or code is wrong.
/// Both go to the dead-letter queue without being sent, because one bad event makes Meta
/// reject the whole batch it travels in.
public struct CAPIViolation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The event is older than Meta's window (only `event_time` can cause this).
        case expired
        /// Anything else Meta rejects: missing, malformed or contradictory fields.
        case invalid
    }

    public enum Reason: Sendable, Equatable, Hashable {
        /// Required and absent (or empty).
        case missing
        /// Present but not in a form Meta accepts; the text says what is expected.
        case malformed(String)
        /// `event_time` is `age` seconds old, beyond the `limit` (Meta's window minus our margin).
        case tooOld(ageSeconds: Int, limitSeconds: Int)
        /// `event_time` is ahead of now by more than the allowed clock skew.
        case inFuture(aheadSeconds: Int, limitSeconds: Int)
        /// A `custom_data.extra` key that belongs to a typed field; it would not be sent.
        case reservedKey
    }

    /// Meta's JSON path of the field, e.g. "event_time", "user_data", "custom_data.currency".
    public let field: String
    public let reason: Reason

    public init(field: String, reason: Reason) {
        self.field = field
        self.reason = reason
    }

    public var kind: Kind {
        if case .tooOld = reason { return .expired }
        return .invalid
    }

    /// For logs; never contains field values, which may be personal data.
    public var description: String {
        switch reason {
        case .missing: "\(field): missing"
        case .malformed(let expected): "\(field): malformed (\(expected))"
        case .tooOld(let age, let limit): "\(field): expired (\(age) s old, limit \(limit) s)"
        case .inFuture(let ahead, let limit): "\(field): in the future (\(ahead) s ahead, limit \(limit) s)"
        case .reservedKey: "\(field): key reserved for a typed field"
        }
    }
}
