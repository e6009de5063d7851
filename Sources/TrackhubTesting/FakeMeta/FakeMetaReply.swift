/// A complete answer of the fake Meta: status, body, and what to record.
struct FakeMetaReply: Sendable {
    var status: Int
    var body: [UInt8]
    var contentType = "application/json; charset=UTF-8"
    var errorCode: Int?
    var errorSubcode: Int?
    var accepted: [FakeMetaAcceptedEvent] = []
    /// Sent as the `Retry-After` header (seconds).
    var retryAfter: Int?

    /// A non-Graph answer (a proxy's error page).
    static func text(_ status: Int, _ text: String) -> FakeMetaReply {
        FakeMetaReply(status: status, body: Array(text.utf8), contentType: "text/plain; charset=UTF-8")
    }

    /// Meta's success body (reference §1.10).
    static func success(_ accepted: [FakeMetaAcceptedEvent], fbtraceID: String) -> FakeMetaReply {
        let body = FakeJSON.object([
            "events_received": .int(accepted.count), "messages": .array([]), "fbtrace_id": .string(fbtraceID),
        ])
        return FakeMetaReply(status: 200, body: Array(body.jsonText.utf8), accepted: accepted)
    }

    /// A Graph-style error answer (reference §1.10 body shape).
    static func graphError(
        status: Int, code: Int, subcode: Int? = nil, message: String, isTransient: Bool = false,
        userTitle: String? = nil, userMessage: String? = nil, fbtraceID: String
    ) -> FakeMetaReply {
        var error: [String: FakeJSON] = [
            "message": .string(message), "type": .string("OAuthException"), "code": .int(code),
            "is_transient": .bool(isTransient), "fbtrace_id": .string(fbtraceID),
        ]
        if let subcode { error["error_subcode"] = .int(subcode) }
        if let userTitle { error["error_user_title"] = .string(userTitle) }
        if let userMessage { error["error_user_msg"] = .string(userMessage) }
        let body = FakeJSON.object(["error": .object(error)])
        return FakeMetaReply(status: status, body: Array(body.jsonText.utf8), errorCode: code, errorSubcode: subcode)
    }

    /// 400 code 100 "Invalid parameter", the answer to anything malformed.
    static func invalid(
        _ message: String, subcode: Int? = nil, title: String? = nil, userMessage: String? = nil, fbtraceID: String
    ) -> FakeMetaReply {
        graphError(status: 400, code: 100, subcode: subcode, message: message, userTitle: title, userMessage: userMessage, fbtraceID: fbtraceID)
    }

    static func newTraceID() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        return String((0..<27).map { _ in alphabet.randomElement()! })
    }
}
