/// Errors from the Redis client. Descriptions carry no command arguments, so a payload
/// (which may hold personal data) never reaches a log line through an error.
public struct RedisError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The TCP/unix connection could not be made or was lost; the command may or may not have run.
        case connection
        /// The server answered with an error reply (e.g. `BUSYGROUP`, `OOM`, `READONLY`).
        case server
        /// The reply did not have the expected shape.
        case protocolViolation
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "RedisError(\(kind)): \(message)" }

    /// True for server errors whose message starts with `code` (e.g. "BUSYGROUP", "NOGROUP").
    public func hasCode(_ code: String) -> Bool {
        kind == .server && message.hasPrefix(code)
    }
}
