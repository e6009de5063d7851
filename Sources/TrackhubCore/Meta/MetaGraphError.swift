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
        guard let top = MetaLenientJSON.object(body), let error = top["error"] else { return nil }
        if let text = error.string { return MetaGraphError(message: text) }
        guard let fields = error.object else { return nil }
        return MetaGraphError(
            message: fields["message"]?.string,
            type: fields["type"]?.string,
            code: fields["code"]?.int,
            subcode: fields["error_subcode"]?.int,
            userTitle: fields["error_user_title"]?.string,
            userMessage: fields["error_user_msg"]?.string,
            fbtraceID: fields["fbtrace_id"]?.string,
            isTransient: fields["is_transient"]?.bool)
    }
}

/// Meta's success body: `{"events_received": 1, "messages": [], "fbtrace_id": "…"}`.
struct MetaSuccessBody: Equatable {
    var eventsReceived: Int?
    var fbtraceID: String?

    static func parse(_ body: Data) -> MetaSuccessBody {
        guard let top = MetaLenientJSON.object(body) else { return MetaSuccessBody() }
        return MetaSuccessBody(eventsReceived: top["events_received"]?.int, fbtraceID: top["fbtrace_id"]?.string)
    }
}

/// A JSON value read without trusting its type: scalars are kept, one level of object is kept
/// (enough for Graph's `{"error":{…}}`), anything else is `.other`. Never throws.
enum MetaLenientJSON: Decodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case object([String: MetaLenientJSON])
    case other

    /// The top-level object of `body`, or nil when it is not a JSON object.
    static func object(_ body: Data) -> [String: MetaLenientJSON]? {
        guard !body.isEmpty, let value = try? JSONDecoder().decode(MetaLenientJSON.self, from: body) else { return nil }
        return value.object
    }

    init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: AnyCodingKey.self) {
            var fields: [String: MetaLenientJSON] = [:]
            for key in keyed.allKeys {
                fields[key.stringValue] = (try? keyed.decode(MetaLenientJSON.self, forKey: key)) ?? .other
            }
            self = .object(fields)
            return
        }
        guard let single = try? decoder.singleValueContainer() else {
            self = .other
            return
        }
        if let b = try? single.decode(Bool.self) {
            self = .bool(b)
        } else if let d = try? single.decode(Double.self) {
            self = .number(d)
        } else if let s = try? single.decode(String.self) {
            self = .string(s)
        } else {
            self = .other
        }
    }

    var object: [String: MetaLenientJSON]? {
        if case .object(let fields) = self { return fields }
        return nil
    }

    /// Strings as they are (nil when empty); numbers in their integer form when integral.
    var string: String? {
        switch self {
        case .string(let s): return s.isEmpty ? nil : s
        case .number(let d): return Self.integral(d).map(String.init) ?? String(d)
        default: return nil
        }
    }

    /// Integral numbers, and strings holding one ("100"). Booleans are not numbers here.
    var int: Int? {
        switch self {
        case .number(let d): return Self.integral(d)
        case .string(let s): return Int(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// Booleans, and "true"/"false"/"1"/"0" as strings or numbers.
    var bool: Bool? {
        switch self {
        case .bool(let b): return b
        case .number(let d): return d == 1 ? true : d == 0 ? false : nil
        case .string(let s):
            switch s.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: return nil
            }
        default: return nil
        }
    }

    private static func integral(_ d: Double) -> Int? {
        guard d.isFinite, d == d.rounded(), abs(d) < 9e15 else { return nil }
        return Int(d)
    }
}
