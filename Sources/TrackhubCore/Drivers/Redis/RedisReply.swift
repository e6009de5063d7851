/// A decoded Redis reply, copied out of hiredis' memory so it can outlive the C object.
public enum RedisReply: Sendable, Equatable {
    case string([UInt8])
    case array([RedisReply])
    case integer(Int)
    case null
    case status(String)
    case error(String)

    /// The reply as UTF-8 text, for bulk strings and status replies.
    public var text: String? {
        switch self {
        case .string(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .status(let s): return s
        case .integer(let i): return String(i)
        default: return nil
        }
    }

    /// The reply as an integer, for integer replies and numeric bulk strings.
    public var int: Int? {
        switch self {
        case .integer(let i): return i
        case .string: return text.flatMap { Int($0) }
        default: return nil
        }
    }

    /// The elements of an array reply (empty for anything else).
    public var elements: [RedisReply] {
        if case .array(let items) = self { return items }
        return []
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The server error text when the reply is an error reply.
    public var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }
}
