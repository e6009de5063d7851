/// An error from the Postgres layer.
///
/// Errors end up in log lines and in `dispatchd status`, and the values Trackhub writes to
/// Postgres are personal data (hashed identities, IPs, user agents, raw webhook bodies) or
/// secrets (ciphertexts). So ``description`` is built from parts that cannot carry them:
/// the error kind, the SQLSTATE and the server's *primary* message, with any parameter value
/// the server quoted back (`invalid input syntax for type integer: "…"`) replaced. The
/// connection string and its password never reach an error at all (see ``PostgresConnection``).
///
/// The server's DETAIL (`Key (email)=(someone@example.com) already exists.`) and HINT can echo
/// row values verbatim; they are kept in ``detail`` / ``hint`` and shown only by
/// ``debugDescription`` — for a developer at a terminal, never for logs.
public struct PostgresError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable {
    /// What went wrong, as an opaque, extensible code: switch on it with `==`, not exhaustively.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case connectionFailed
            case connectionLost
            case queryFailed
            case transactionAborted
            case invalidArgument
            case decodingFailed
            case unexpectedResult
            case poolShutDown
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Could not connect (or reconnect): server down, wrong host/port, authentication
        /// refused, or an unparseable connection string. Nothing was executed.
        public static let connectionFailed = Kind(.connectionFailed)
        /// The connection broke while a statement was in flight; the statement may or may not
        /// have taken effect. The connection must be ``PostgresConnection/reset()`` before reuse.
        public static let connectionLost = Kind(.connectionLost)
        /// The server rejected the statement (see ``PostgresError/sqlState``).
        public static let queryFailed = Kind(.queryFailed)
        /// A transaction could not be committed because a statement inside it failed and the
        /// body carried on; the server rolled everything back.
        public static let transactionAborted = Kind(.transactionAborted)
        /// The caller passed something that cannot be sent (a NUL byte in text, too many
        /// parameters, mismatched batch rows, a nested transaction).
        public static let invalidArgument = Kind(.invalidArgument)
        /// A result value could not be read as the requested type, or a column is missing.
        public static let decodingFailed = Kind(.decodingFailed)
        /// libpq returned a result the client did not expect (e.g. COPY mode).
        public static let unexpectedResult = Kind(.unexpectedResult)
        /// The ``PostgresPool`` was shut down before the work could run.
        public static let poolShutDown = Kind(.poolShutDown)

        public var description: String { base.rawValue }
    }

    public let kind: Kind
    /// The five-character SQLSTATE (`PG_DIAG_SQLSTATE`), when the server sent one.
    public let sqlState: String?
    /// The primary message, with parameter values the server quoted back redacted.
    public let message: String
    /// The server's DETAIL field. May contain row values: never log it.
    public let detail: String?
    /// The server's HINT field. May contain values: never log it.
    public let hint: String?
    /// The violated constraint's name (`PG_DIAG_CONSTRAINT_NAME`), a schema object name —
    /// safe to log, and the way to tell which unique key was hit.
    public let constraintName: String?

    public init(
        _ kind: Kind,
        _ message: String,
        sqlState: String? = nil,
        detail: String? = nil,
        hint: String? = nil,
        constraintName: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraintName = constraintName
    }

    /// SQLSTATE 23505: a unique or primary-key constraint rejected the row.
    public var isUniqueViolation: Bool { sqlState == "23505" }

    /// True when the input itself was refused, so the same input fails the same way every time:
    /// the driver could not send it (``Kind/invalidArgument``: a NUL in text), or the server
    /// refused it with a data exception (SQLSTATE class 22: `22P05` untranslatable character,
    /// `22021` bad encoding, …), an integrity violation (23), a value or row over a limit (54) or
    /// a trigger's `RAISE` (P0). Not a connection problem, a full disk (53), a conflict worth
    /// retrying (40) or an operator intervention (57): those pass, and the same input then works.
    /// The consumer isolates and dead-letters only input refused this way.
    public var isDataRefusal: Bool {
        if kind == .invalidArgument { return true }
        guard kind == .queryFailed || kind == .transactionAborted, let sqlState else { return false }
        return ["22", "23", "54", "P0"].contains(String(sqlState.prefix(2)))
    }

    /// True when the connection itself is the problem (as opposed to the statement), so the
    /// connection needs a reset and the work may succeed on a healthy one.
    public var isConnectionProblem: Bool {
        kind == .connectionFailed || kind == .connectionLost || (sqlState?.hasPrefix("08") ?? false)
    }

    public var description: String {
        var text = "PostgresError.\(kind)"
        if let sqlState { text += " [\(sqlState)]" }
        text += ": \(message)"
        return text
    }

    public var debugDescription: String {
        var text = description
        if let constraintName { text += "\nCONSTRAINT: \(constraintName)" }
        if let detail { text += "\nDETAIL: \(detail)" }
        if let hint { text += "\nHINT: \(hint)" }
        return text
    }
}

extension PostgresError {
    /// Replaces every value in `values` that appears double-quoted in `message` — the way the
    /// server quotes input it could not accept — with `"<redacted>"`. Exact matches only, so
    /// unrelated text (table or constraint names) is left alone.
    static func redacting(_ values: [String], in message: String) -> String {
        guard message.contains("\"") else { return message }
        var result = message
        for value in values where !value.isEmpty {
            let quoted = "\"" + value + "\""
            if result.contains(quoted) {
                result = result.replacing(quoted, with: "\"<redacted>\"")
            }
        }
        return result
    }

    /// Replaces every occurrence of each secret with `<redacted>` (used on libpq's connection
    /// messages, which we do not control, with the password as the secret).
    static func scrubbing(_ secrets: [String], from message: String) -> String {
        var result = message
        for secret in secrets where !secret.isEmpty && result.contains(secret) {
            result = result.replacing(secret, with: "<redacted>")
        }
        return result
    }
}
