/// Why a `CurlHTTPClient` could not be created, in the shape of ``PostgresError``: an opaque
/// ``Kind`` and a message that holds libcurl's reason only (never a URL, header or token).
public struct CurlInitError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable, Equatable {
    /// Opaque and extensible: compare with `==`, never exhaustively.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable { case globalInitFailed, handleAllocationFailed }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// `curl_global_init` failed (the process cannot use libcurl at all).
        public static let globalInitFailed = Kind(.globalInitFailed)
        /// `curl_easy_init` returned NULL (out of memory).
        public static let handleAllocationFailed = Kind(.handleAllocationFailed)

        public var description: String { base.rawValue }
    }

    public let kind: Kind
    /// Human-readable reason; contains no URL or secret.
    public let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
    public var debugDescription: String { "CurlInitError.\(kind): \(message)" }
}
