import Synchronization
import Foundation
import TrackhubCore

/// What Meta checks before accepting a batch: the path, the token, the body, then every event
/// with production's `CAPIEventValidator` at Meta's exact limits. The first failure rejects the
/// whole request (reference §1.2). The token must be in the body (`access_token`, JSON or form):
/// one in the URL query is refused, stricter than Graph, because Trackhub never puts it there.
extension FakeMeta {
    /// Production's validator with Meta's documented windows and none of production's margin.
    var validator: CAPIEventValidator {
        CAPIEventValidator(maxEventAge: options.maxEventAge, expiryMargin: .zero, maxFutureSkew: options.maxFutureSkew)
    }

    func validateAndAccept(
        version: String, pixel: String, token: String?, tokenInURL: Bool, payload: FakeMetaPayload, sequence: Int, fbtraceID: String
    ) -> FakeMetaReply {
        func invalid(_ message: String, subcode: Int? = nil, title: String? = nil, userMessage: String? = nil) -> FakeMetaReply {
            .invalid(message, subcode: subcode, title: title, userMessage: userMessage, fbtraceID: fbtraceID)
        }
        let (expectedToken, rejectIDs, rejectPrefixes) = state.withLock {
            ($0.expectedTokens[pixel], $0.rejectEventIDs, $0.rejectEventIDPrefixes)
        }

        // Stricter than Meta: a malformed version or pixel would 400 there too, but with
        // codes the reference does not document; these texts are the fake's own.
        guard version.wholeMatch(of: /v[0-9]+\.[0-9]+/) != nil else {
            return invalid("(#100) Unknown API version '\(version)' (fake expects e.g. v25.0)")
        }
        guard !pixel.isEmpty, pixel.allSatisfy(\.isASCII), pixel.allSatisfy(\.isNumber) else {
            return invalid(
                "Unsupported post request. Object with ID '\(pixel)' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                subcode: 33
            )
        }
        guard !tokenInURL else {
            return invalid("(#100) fake-meta: access_token in the URL query; send it in the request body")
        }
        // The token is read from the body, so a body that does not parse is refused first.
        guard let fields = payload.fields else {
            return invalid("(#100) Invalid parameter", userMessage: "The request body is not valid JSON or form data.")
        }
        guard let token, !token.isEmpty else {
            return .graphError(status: 400, code: 104, message: "An access token is required to request this resource.", fbtraceID: fbtraceID)
        }
        if state.withLock({ $0.expiredTokens.contains(Self.tokenFingerprint(token)) }) {
            return .graphError(status: 400, code: 190, subcode: 463,
                               message: "Error validating access token: Session has expired on Saturday, 05-Dec-26 10:00:00 PST. The current time is Sunday, 06-Dec-26 02:00:00 PST.",
                               fbtraceID: fbtraceID)
        }
        if let expectedToken, Self.tokenFingerprint(token) != expectedToken {
            return .graphError(status: 400, code: 190, message: "Invalid OAuth access token - Cannot parse access token", fbtraceID: fbtraceID)
        }
        if let code = fields["test_event_code"], code.stringValue == nil {
            return invalid("(#100) param test_event_code must be a string.")
        }
        guard let data = fields["data"] else { return invalid("(#100) The parameter data is required") }
        guard let events = data.arrayValue else { return invalid("(#100) param data must be an array.") }
        guard (1...Self.maxEventsPerRequest).contains(events.count) else {
            return invalid("(#100) param data must be an array of 1 to \(Self.maxEventsPerRequest) events; got \(events.count).")
        }

        let now = Date()
        let validator = self.validator
        var accepted: [FakeMetaAcceptedEvent] = []
        for (index, json) in events.enumerated() {
            let path = "data[\(index)]"
            let event: CAPIEvent
            switch FakeMetaEventReader.read(json, at: path) {
            case .failure(let failure): return invalid(failure.message)
            case .success(let read): event = read
            }
            let violations = validator.violations(of: event, now: now).filter { violation in
                // user_data keys the model does not carry (lead_id, anon_id…) still count for Meta.
                !(violation.field == "user_data" && Self.hasOtherUserData(json))
            }
            if violations.contains(where: { $0.kind == .invalid }) {
                let list = violations.map(\.description).joined(separator: "; ")
                return invalid("(#100) Invalid parameter in \(path): \(list)", title: "Invalid Parameter", userMessage: list)
            }
            if !violations.isEmpty {
                return invalid(
                    "Invalid parameter",
                    subcode: 2_804_003,
                    title: "Event Timestamp Too Old",
                    userMessage: "The timestamp for this event is too far in the past. Events need to be sent from your server within 7 days of when they occurred. Enter a timestamp that has occurred within the last 7 days."
                )
            }
            accepted.append(FakeMetaAcceptedEvent(
                pixel: pixel, eventName: event.eventName.rawValue, eventID: event.eventId, eventTime: event.eventTime,
                actionSource: event.actionSource.rawValue, testEventCode: fields["test_event_code"]?.stringValue,
                requestSequence: sequence, json: json
            ))
        }
        if let id = accepted.lazy.compactMap(\.eventID).first(where: { id in
            rejectIDs.contains(id) || rejectPrefixes.contains { id.hasPrefix($0) }
        }) {
            return invalid(
                "Invalid parameter: event_id '\(id)' was rejected",
                subcode: 2_804_019,
                title: "Invalid Event",
                userMessage: "The event with event_id '\(id)' is invalid, so the whole batch was rejected."
            )
        }
        return .success(accepted, fbtraceID: fbtraceID)
    }

    private static let modelledUserDataKeys: Set<String> =
        Set(HashedUserData.Key.allCases.map(\.rawValue)).union(["fbc", "fbp", "client_ip_address", "client_user_agent"])

    private static func hasOtherUserData(_ event: FakeJSON) -> Bool {
        (event["user_data"]?.objectValue ?? [:]).contains { key, value in
            !modelledUserDataKeys.contains(key) && value != .null && value != .string("")
        }
    }
}
