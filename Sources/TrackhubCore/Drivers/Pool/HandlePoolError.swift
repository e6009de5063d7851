/// Why a ``HandlePool`` refused a call. An opaque code (the `PostgresError` shape), so new
/// cases do not break callers that switch on it.
public struct HandlePoolError: Error, CustomStringConvertible, Sendable, Equatable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String { case shutDown, alreadyRun }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The pool has shut down (or was cancelled) before the call started; nothing ran.
        public static let shutDown = Code(.shutDown)
        /// ``HandlePool/run()`` was called a second time; a pool lives once.
        public static let alreadyRun = Code(.alreadyRun)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The pool's name (its thread-name prefix), which carries no secret.
    public let pool: String

    public init(_ code: Code, pool: String) {
        self.code = code
        self.pool = pool
    }

    public var description: String {
        switch code {
        case .shutDown: return "the \(pool) pool has shut down; the call did not run"
        default: return "the \(pool) pool was already run once"
        }
    }
}
