public import Foundation

/// What one request's classified answer means for the events it carried — a pure function,
/// unit-tested for every failure class:
///
/// | answer | events | the pixel's other requests |
/// |---|---|---|
/// | accepted | `sent`, finished | go on |
/// | invalid / expired, several events | `batch_rejected`; bisected, each half resent (attempt + 1) | go on |
/// | invalid / expired, one event | dead-lettered (the culprit) | go on |
/// | token / permission | `parked`; the pixel is paused until a new token | halted: parked |
/// | throttled | `retry_scheduled` after the pause (no retry budget spent); the pixel is paused, the pause backing off (``ThrottleBackoff``) | halted: scheduled after the pause |
/// | transient | `retry_scheduled` with full-jitter backoff (`unconfirmed` when no answer came after sending) | go on |
///
/// A retry that the policy refuses is dead-lettered: `retries_exhausted`, or `expired` when
/// it would land past the event's window.
public struct OutcomeDecider: Sendable {
    public var retryPolicy: RetryPolicy
    /// How long a throttled pixel pauses for every instance.
    public var throttle: ThrottleBackoff

    public init(retryPolicy: RetryPolicy = RetryPolicy(), throttle: ThrottleBackoff = ThrottleBackoff()) {
        self.retryPolicy = retryPolicy
        self.throttle = throttle
    }

    /// The facts of one attempt that go into the ledger.
    public struct Attempt: Sendable {
        public var requestID: String
        public var latencyMs: Int
        /// The HTTP status of the response (nil: none).
        public var httpStatus: Int?
        public var now: Date
        /// The access token used, only to name it by fingerprint in a token pause.
        public var accessToken: String
        /// Each event of the request as it was sent (parallel to the chunk), for the ledger.
        public var payloads: [String]
        /// Which throttle in a row of the pixel this answer is, when it is one (1 = the first).
        public var throttleStrike: Int
        /// Meta's own estimate of the wait, from the response headers (``ThrottleHint``).
        public var throttleHint: Duration?

        public init(requestID: String, latencyMs: Int, httpStatus: Int?, now: Date, accessToken: String, payloads: [String] = [],
                    throttleStrike: Int = 1, throttleHint: Duration? = nil) {
            self.payloads = payloads
            self.throttleStrike = throttleStrike
            self.throttleHint = throttleHint
            self.requestID = requestID
            self.latencyMs = latencyMs
            self.httpStatus = httpStatus
            self.now = now
            self.accessToken = accessToken
        }
    }

    /// What was decided, for the shell to log and act on.
    public enum Verdict: Sendable, Equatable {
        case accepted(fbtraceID: String?)
        /// Rejected alone: dead-lettered.
        case culprit(OutboundEvent, MetaFailure)
        /// Rejected with others: resend both halves (attempts already counted).
        case bisect(first: [OutboundEvent], second: [OutboundEvent], MetaFailure)
        /// A rejected request that carried nothing.
        case empty
        /// Token or permission refused: parked, pixel paused until a new token.
        case parked(MetaFailure)
        /// Rate limited: rescheduled after the pause, pixel paused.
        case throttled(MetaFailure)
        /// Transient: retried with backoff (or dead-lettered when the policy says no more).
        case retried(MetaFailure)
    }

    /// A pause the shell must set through the ``PixelGate``.
    public struct PauseRequest: Sendable, Equatable {
        public var reason: String
        /// nil: until a new token is applied.
        public var duration: Duration?
    }

    public struct Decision: Sendable {
        public var verdict: Verdict
        public var result = SendResult()
        /// Set when the pixel's remaining requests must not be sent now.
        public var halt: DeliveryHalt?
        public var pause: PauseRequest?
    }

    public func decide(_ chunk: [OutboundEvent], outcome: MetaOutcome, attempt: Attempt,
                       random: inout some RandomNumberGenerator) -> Decision {
        switch outcome {
        case .accepted(_, let fbtrace):
            var d = Decision(verdict: .accepted(fbtraceID: fbtrace))
            for (i, e) in chunk.enumerated() {
                d.result.ledger.append(LedgerEntry(event: e, attempt: e.attempts + 1, outcome: .sent, requestID: attempt.requestID,
                                                   httpStatus: attempt.httpStatus, fbtraceID: fbtrace, latencyMs: attempt.latencyMs,
                                                   payload: i < attempt.payloads.count ? attempt.payloads[i] : nil))
                d.result.finished.append(e)
            }
            return d
        case .failed(let failure):
            return decide(chunk, failure: failure, attempt: attempt, random: &random)
        }
    }

    private func decide(_ chunk: [OutboundEvent], failure: MetaFailure, attempt: Attempt,
                        random: inout some RandomNumberGenerator) -> Decision {
        switch failure.class {
        case .invalid, .expired:
            switch BatchSplitter.split(chunk) {
            case .empty:
                return Decision(verdict: .empty)
            case .culprit(let e):
                var d = Decision(verdict: .culprit(e, failure))
                d.result.deadLetter(e, reason: failure.class == .expired ? .expired : .invalid, detail: failure.message,
                                    attempt: e.attempts + 1, failure: failure, requestID: attempt.requestID, latencyMs: attempt.latencyMs)
                return d
            case .split(let first, let second):
                let bump = { (list: [OutboundEvent]) in list.map { var x = $0; x.attempts += 1; return x } }
                var d = Decision(verdict: .bisect(first: bump(first), second: bump(second), failure))
                for e in chunk { d.result.ledger.append(ledger(e, .batchRejected, failure, attempt, attemptNumber: e.attempts + 1)) }
                return d
            }
        case .token, .permission:
            var d = Decision(verdict: .parked(failure), halt: .park)
            // Names the refused token (fingerprint) so a worker holding a newer one releases the pause.
            d.pause = PauseRequest(reason: "\(failure.class.rawValue): \(failure.message) \(PixelControl.tokenMarker(attempt.accessToken))",
                                   duration: nil)
            d.result.park += chunk
            for e in chunk { d.result.ledger.append(ledger(e, .parked, failure, attempt, attemptNumber: e.attempts + 1)) }
            return d
        case .throttled:
            let pause = throttle.pause(strike: attempt.throttleStrike, hint: attempt.throttleHint)
            let due = DeliveryPlanner.ms(attempt.now) + pause.wholeMilliseconds
            var d = Decision(verdict: .throttled(failure), halt: .until(dueMs: due))
            d.pause = PauseRequest(reason: "throttled: \(failure.message)", duration: pause)
            for e in chunk { afterThrottle(e, dueMs: due, failure: failure, attempt: attempt, into: &d.result) }
            return d
        case .transient:
            var d = Decision(verdict: .retried(failure))
            for e in chunk { retry(e, failure: failure, attempt: attempt, forcedDue: nil, random: &random, into: &d.result) }
            return d
        }
    }

    /// Reschedules a throttled event for the end of the pause without spending its retry budget;
    /// dead-letters it (`expired`) only when the pause would carry it past Meta's window.
    func afterThrottle(_ e: OutboundEvent, dueMs: Int64, failure: MetaFailure, attempt: Attempt, into result: inout SendResult) {
        var next = e
        next.attempts += 1
        next.throttled += 1
        let eventDate = Date(timeIntervalSince1970: Double(e.eventTime))
        if retryPolicy.fitsWindow(Date(timeIntervalSince1970: Double(dueMs) / 1000), eventTime: eventDate) {
            result.schedule.append((next, dueMs))
            result.ledger.append(ledger(e, .retryScheduled, failure, attempt, attemptNumber: next.attempts))
        } else {
            result.deadLetter(e, reason: .expired, detail: "throttled past the event's window: \(failure.message)",
                              attempt: next.attempts, failure: failure, requestID: attempt.requestID, latencyMs: attempt.latencyMs)
        }
    }

    /// Schedules another attempt, or dead-letters when attempts or Meta's window run out.
    /// Throttled attempts (``OutboundEvent/throttled``) do not count against the budget.
    func retry(_ e: OutboundEvent, failure: MetaFailure, attempt: Attempt, forcedDue: Int64?,
               random: inout some RandomNumberGenerator, into result: inout SendResult) {
        var next = e
        next.attempts += 1
        let eventDate = Date(timeIntervalSince1970: Double(e.eventTime))
        switch retryPolicy.nextAttempt(attempt: next.attempts - next.throttled, now: attempt.now, eventTime: eventDate, random: &random) {
        case .at(let at):
            result.schedule.append((next, max(forcedDue ?? 0, DeliveryPlanner.ms(at))))
            result.ledger.append(ledger(e, failure.unconfirmed ? .unconfirmed : .retryScheduled, failure, attempt,
                                        attemptNumber: next.attempts))
        case let refused:
            result.deadLetter(e, reason: refused == .pastWindow ? .expired : .retriesExhausted,
                              detail: "\(failure.class.rawValue) after \(next.attempts) attempts: \(failure.message)",
                              attempt: next.attempts, failure: failure, requestID: attempt.requestID, latencyMs: attempt.latencyMs)
        }
    }

    private func ledger(_ e: OutboundEvent, _ outcome: LedgerOutcome, _ failure: MetaFailure, _ attempt: Attempt,
                        attemptNumber: Int) -> LedgerEntry {
        LedgerEntry(event: e, attempt: attemptNumber, outcome: outcome, requestID: attempt.requestID,
                    httpStatus: failure.httpStatus, metaCode: failure.code, metaSubcode: failure.subcode,
                    metaMessage: failure.message, fbtraceID: failure.fbtraceID, latencyMs: attempt.latencyMs,
                    includePayload: false)
    }
}
