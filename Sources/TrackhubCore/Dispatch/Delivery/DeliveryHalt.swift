/// Why the rest of a pixel's events must not be sent now, and where they wait: parked until a
/// new token (token/permission refusals), or scheduled for when a throttling pause ends. A
/// throttle must never park: parked events only move again when a token is applied.
public enum DeliveryHalt: Sendable, Equatable {
    case park
    case until(dueMs: Int64)

    /// Puts `events` where this halt keeps them (no attempt is made, so no ledger row).
    public func hold(_ events: [OutboundEvent], into result: inout SendResult) {
        switch self {
        case .park: result.park += events
        case .until(let due): result.schedule += events.map { ($0, due) }
        }
    }
}
