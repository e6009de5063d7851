import Foundation

/// Turns what the HTTP client saw into a `MetaOutcome`: accepted, or failed with the class of
/// failure that decides retry, pause or dead-letter.
///
/// Order of precedence, most specific first:
/// 1. Graph `error.code` (+ `error_subcode`) when the body has one:
///    - 100 / 2804003 "Event Timestamp Too Old" -> `expired`
///    - 100 / 33 (pixel does not exist or token cannot see it) -> `permission`
///    - 190, 102 -> `token`; 3, 10, 200-299 -> `permission`
///    - 4, 17, 32, 613, 80000-80014 -> `throttled`; 1, 2, 341, 368 -> `transient`
///    - 100 (any other subcode) -> `invalid`
/// 2. HTTP status: 429 -> `throttled`; 5xx -> `transient`.
/// 3. `is_transient: true` -> `throttled`.
/// 4. Remaining statuses: 408 -> `transient`; 401 -> `token`; 403, 404 -> `permission`;
///    other 4xx -> `invalid`; anything else (1xx/3xx, or 2xx carrying an error) -> `transient`.
/// Transport errors (no response) are `transient`; past the connection (a timeout, a reset
/// mid-response) they are also `unconfirmed`: the request may have reached Meta.
///
/// 100/33 and bare 401/403/404 are configuration problems, not bad events: classifying them
/// `invalid` would dead-letter (and bisect) every event while the pixel or token is wrong.
/// docs/NORMALIZATION.md records these choices.
public enum MetaResponseClassifier {
    public static func classify(_ outcome: MetaTransportOutcome) -> MetaOutcome {
        switch outcome {
        case .transportError(let kind, let message):
            return .failed(MetaFailure(class: .transient, httpStatus: nil, message: "\(kind.rawValue): \(message)",
                                       unconfirmed: kind != .connect))

        case .response(let status, let body):
            let graphError = MetaGraphError.parse(body)
            if (200...299).contains(status), graphError == nil {
                let success = MetaSuccessBody.parse(body)
                return .accepted(eventsReceived: success.eventsReceived, fbtraceID: success.fbtraceID)
            }
            let failureClass = classify(
                httpStatus: status, code: graphError?.code, subcode: graphError?.subcode,
                isTransient: graphError?.isTransient)
            let message = graphError?.userMessage ?? graphError?.message ?? bodyExcerpt(body, status: status)
            return .failed(MetaFailure(
                class: failureClass, httpStatus: status, code: graphError?.code, subcode: graphError?.subcode,
                message: message, title: graphError?.userTitle, fbtraceID: graphError?.fbtraceID))
        }
    }

    /// The decision table on its own, for callers that hold the parts already.
    public static func classify(
        httpStatus: Int?, code: Int?, subcode: Int?, isTransient: Bool?
    ) -> MetaFailure.FailureClass {
        if let code {
            switch code {
            case 100 where subcode == 2_804_003: return .expired
            case 100 where subcode == 33: return .permission
            case 190, 102: return .token
            case 3, 10, 200...299: return .permission
            case 4, 17, 32, 613, 80_000...80_014: return .throttled
            case 1, 2, 341, 368: return .transient
            case 100: return .invalid
            default: break
            }
        }
        guard let httpStatus else { return isTransient == true ? .throttled : .transient }
        if httpStatus == 429 { return .throttled }
        if (500...599).contains(httpStatus) { return .transient }
        if isTransient == true { return .throttled }
        switch httpStatus {
        case 408: return .transient
        case 401: return .token
        case 403, 404: return .permission
        case 400...499: return .invalid
        default: return .transient
        }
    }

    /// The start of a body that is not a Graph error (an HTML page from a proxy, say), on one line.
    private static func bodyExcerpt(_ body: Data, status: Int) -> String {
        let text = String(decoding: body.prefix(MetaFailure.maxMessageLength * 4), as: UTF8.self)
            .split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? "HTTP \(status) with no error body" : "HTTP \(status): \(text)"
    }
}
