public import Foundation

/// The Graph API error object, `{"error":{"message","type","code","error_subcode",
/// "error_user_title","error_user_msg","fbtrace_id","is_transient"}}`, parsed tolerantly.
///
/// Tolerant because this is read on the failure path, where a parse error would hide the real
/// one: numbers may arrive as strings ("100"), fields may be missing or of an unexpected type,
/// and a field that cannot be read is nil rather than a failure.
public struct MetaGraphError: Sendable, Equatable, Hashable {
    public var message: String?
    public var type: String?
    public var code: Int?
    public var subcode: Int?
    public var userTitle: String?
    public var userMessage: String?
    public var fbtraceID: String?
    public var isTransient: Bool?

    public init(
        message: String? = nil, type: String? = nil, code: Int? = nil, subcode: Int? = nil,
        userTitle: String? = nil, userMessage: String? = nil, fbtraceID: String? = nil, isTransient: Bool? = nil
    ) {
        self.message = message; self.type = type; self.code = code; self.subcode = subcode
        self.userTitle = userTitle; self.userMessage = userMessage; self.fbtraceID = fbtraceID
        self.isTransient = isTransient
    }

    /// The `error` object of a response body, or nil when the body has none.
    public static func parse(_ body: Data) -> MetaGraphError? {
        guard let top = JSONValue.graphObject(body), let error = top["error"] else { return nil }
        if let text = error.graphString { return MetaGraphError(message: text) }
        guard let fields = error.objectMembers else { return nil }
        return MetaGraphError(
            message: fields["message"]?.graphString,
            type: fields["type"]?.graphString,
            code: fields["code"]?.graphInt,
            subcode: fields["error_subcode"]?.graphInt,
            userTitle: fields["error_user_title"]?.graphString,
            userMessage: fields["error_user_msg"]?.graphString,
            fbtraceID: fields["fbtrace_id"]?.graphString,
            isTransient: fields["is_transient"]?.graphBool)
    }
}
