/// An error from the Redis client, in the shape of ``PostgresError``: an opaque ``Kind``, a
/// ``description`` safe for logs, a ``debugDescription`` with everything.
///
/// Redis errors never carry command arguments (payloads hold personal data): the message is
/// either our own text, hiredis' connection error, or the server's error reply, which names
/// the problem (`BUSYGROUP Consumer Group name already exists`) and not the values.
public struct RedisError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable, Equatable {
    /// What went wrong, as an opaque, extensible code: compare with `==`, never exhaustively.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case connection
            case server
            case protocolViolation
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The TCP/unix connection could not be made or was lost; the command may or may not have run.
        public static let connection = Kind(.connection)
        /// The server answered with an error reply (e.g. `BUSYGROUP`, `OOM`, `READONLY`).
        public static let server = Kind(.server)
        /// The reply did not have the expected shape.
        public static let protocolViolation = Kind(.protocolViolation)

        public var description: String { base.rawValue }
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The server's error code — the first word of an error reply (`BUSYGROUP`, `NOGROUP`,
    /// `NOSCRIPT`, `ERR`) — or nil for the other kinds.
    public var code: String? {
        guard kind == .server, let word = message.split(separator: " ", maxSplits: 1).first,
              word.allSatisfy({ $0.isUppercase || $0 == "_" }) else { return nil }
        return String(word)
    }

    /// True for server errors whose message starts with `code` (e.g. "BUSYGROUP", "NOGROUP").
    public func hasCode(_ code: String) -> Bool {
        kind == .server && message.hasPrefix(code)
    }

    /// The kind, the server's code and the first line of the message (a script error's
    /// traceback can run long; the first line names it).
    public var description: String {
        var text = "RedisError.\(kind)"
        if let code { text += " [\(code)]" }
        let firstLine = message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return text + ": " + firstLine
    }

    /// Everything: the whole message.
    public var debugDescription: String {
        var text = "RedisError.\(kind)"
        if let code { text += " [\(code)]" }
        return text + ": " + message
    }
}
