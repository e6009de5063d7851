/// Why a notification could not be sent or `$NOTIFY_SOCKET` could not be used, in the shape of
/// ``PostgresError``: an opaque ``Kind`` and a message (a socket path and an errno text; no
/// secret can reach it).
public struct SystemdNotifyError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable, Equatable {
    /// Opaque and extensible: compare with `==`, never exhaustively.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable { case invalidAddress, sendFailed }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// `$NOTIFY_SOCKET` is not an address this notifier can use.
        public static let invalidAddress = Kind(.invalidAddress)
        /// The socket could not be created or the datagram not sent.
        public static let sendFailed = Kind(.sendFailed)

        public var description: String { base.rawValue }
    }

    public let kind: Kind
    public let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
    public var debugDescription: String { "SystemdNotifyError.\(kind): \(message)" }
}
