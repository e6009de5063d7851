/// The result of sending one request to the Conversions API, as the dispatcher acts on it.
public enum MetaOutcome: Sendable, Equatable {
    /// 2xx: Meta took the batch. `eventsReceived` is Meta's count (compare with what was sent).
    case accepted(eventsReceived: Int?, fbtraceID: String?)
    case failed(MetaFailure)
}

/// Why a request failed, reduced to what decides the next step, plus Meta's details for the
/// dead-letter record and the logs.
public struct MetaFailure: Sendable, Equatable, Hashable {
    /// What kind of failure this is; each class implies one course of action.
    public enum FailureClass: String, Sendable, Hashable, CaseIterable {
        /// Network error, timeout, 5xx, Graph codes 1, 2, 341, 368: retry with backoff.
        case transient
        /// Rate limited (codes 4, 17, 32, 613, 80000-80014, HTTP 429, `is_transient`): retry,
        /// backing off.
        case throttled
        /// Access token invalid or expired (190, 102): retrying cannot help; stop sending for
        /// this pixel, keep the events, alert someone to renew the token.
        case token
        /// Missing permission or wrong pixel (10, 200-299, 3, 100/33): like `token`, a
        /// configuration problem: pause and alert, keep the events.
        case permission
        /// Meta rejected the data (100 and unknown 4xx): the batch holds at least one bad
        /// event; bisect it and dead-letter the culprit.
        case invalid
        /// "Event Timestamp Too Old" (100/2804003): some event is past the 7-day window and can
        /// never be sent; bisect and dead-letter it.
        case expired
    }

    public let `class`: FailureClass
    /// nil for transport errors.
    public let httpStatus: Int?
    /// Graph `error.code`.
    public let code: Int?
    /// Graph `error.error_subcode`.
    public let subcode: Int?
    /// `error_user_msg`, else `message`, else the transport error or start of the body;
    /// at most `maxMessageLength` characters.
    public let message: String
    /// `error_user_title`, which names the CAPI problem ("Event Timestamp Too Old").
    public let title: String?
    /// Meta's request id for support tickets.
    public let fbtraceID: String?
    /// True when no answer came after the request may have reached Meta (a timeout, or the
    /// connection lost mid-response): Meta may have accepted the events. The ledger records
    /// such an attempt as `unconfirmed`, not as a known failure.
    public let unconfirmed: Bool

    public static let maxMessageLength = 500

    public init(
        class failureClass: FailureClass, httpStatus: Int?, code: Int? = nil, subcode: Int? = nil,
        message: String, title: String? = nil, fbtraceID: String? = nil, unconfirmed: Bool = false
    ) {
        self.unconfirmed = unconfirmed
        self.class = failureClass
        self.httpStatus = httpStatus
        self.code = code
        self.subcode = subcode
        self.message = Self.truncated(message)
        self.title = title.map(Self.truncated)
        self.fbtraceID = fbtraceID
    }

    /// True for `transient` and `throttled`: sending the same request later may succeed.
    public var isTransient: Bool { self.class == .transient || self.class == .throttled }

    /// True for `token` and `permission`: every request to this pixel will fail the same way
    /// until someone fixes the configuration, so stop sending (and do not dead-letter events).
    public var pausesDelivery: Bool { self.class == .token || self.class == .permission }

    /// True for `invalid` and `expired`: the events themselves are at fault.
    public var blamesEvents: Bool { self.class == .invalid || self.class == .expired }

    static func truncated(_ text: String) -> String {
        text.count <= maxMessageLength ? text : String(text.prefix(maxMessageLength))
    }
}
