public import Glibc

/// The sd_notify(3) protocol without libsystemd: a datagram to the Unix socket systemd names in
/// `$NOTIFY_SOCKET` (a path, or an abstract name written `@name`), and the watchdog settings
/// systemd passes in `$WATCHDOG_USEC` / `$WATCHDOG_PID`.
///
/// Lets the daemons run as `Type=notify` units: systemd knows when they are really ready, and
/// restarts one whose main loop stopped pinging. Outside systemd (`$NOTIFY_SOCKET` unset)
/// there is no notifier and nothing is sent.
///
/// Sending never blocks: the socket is non-blocking and a datagram either goes at once or is
/// dropped (systemd's queue is large; a lost watchdog ping is followed by the next one), so it
/// is safe to call from the cooperative pool.
public struct SystemdNotifier: Sendable, Equatable {
    /// Where systemd listens.
    public enum Address: Sendable, Equatable, CustomStringConvertible {
        /// A socket file, e.g. `/run/systemd/notify`.
        case path(String)
        /// A Linux abstract socket name (`@name` in the environment; no file).
        case abstract(String)

        public var description: String {
            switch self {
            case .path(let p): return p
            case .abstract(let name): return "@" + name
            }
        }

        /// Calls `body` with this address as a `sockaddr_un` and its length (for `sendto`, or
        /// `bind` by a listener standing in for systemd).
        public func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) rethrows -> T {
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let nameBytes: [UInt8]
            switch self {
            case .path(let p): nameBytes = Array(p.utf8)
            case .abstract(let name): nameBytes = [0] + Array(name.utf8)
            }
            withUnsafeMutableBytes(of: &addr.sun_path) { buffer in
                buffer.copyBytes(from: nameBytes.prefix(SystemdNotifier.maxAddressBytes + 1))
            }
            // A path's length leaves out its NUL; an abstract name is exactly its bytes after the leading NUL.
            let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + min(nameBytes.count, SystemdNotifier.maxAddressBytes + 1))
            return try withUnsafePointer(to: &addr) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
            }
        }
    }

    public let address: Address
    /// `$WATCHDOG_USEC` when the watchdog applies to this process: the longest systemd waits
    /// between two `WATCHDOG=1`.
    public let watchdogTimeout: Duration?

    /// How often to ping: half the timeout, as sd_watchdog_enabled(3) recommends.
    public var watchdogInterval: Duration? { watchdogTimeout.map { $0 / 2 } }

    /// `sun_path` holds 108 bytes; a path needs its terminating NUL, an abstract name its leading one.
    static let maxAddressBytes = 107

    public init(address: Address, watchdogTimeout: Duration? = nil) {
        self.address = address
        self.watchdogTimeout = watchdogTimeout
    }

    /// The notifier systemd asked for, or nil when `$NOTIFY_SOCKET` is unset or empty (not
    /// under systemd, or not a `Type=notify` unit). Throws for an address this implementation
    /// cannot use (e.g. `vsock:`), so the daemon can say why systemd will never see it ready.
    public static func fromEnvironment(_ environment: [String: String], pid: Int32 = getpid()) throws(SystemdNotifyError)
        -> SystemdNotifier?
    {
        guard let raw = environment["NOTIFY_SOCKET"], !raw.isEmpty else { return nil }
        return SystemdNotifier(address: try parseAddress(raw), watchdogTimeout: watchdogTimeout(environment, pid: pid))
    }

    /// `/path` or `@abstract`, at most 107 bytes.
    static func parseAddress(_ raw: String) throws(SystemdNotifyError) -> Address {
        let address: Address
        if raw.hasPrefix("/") {
            address = .path(raw)
        } else if raw.hasPrefix("@"), raw.utf8.count > 1 {
            address = .abstract(String(raw.dropFirst()))
        } else {
            throw SystemdNotifyError(.invalidAddress, "NOTIFY_SOCKET must be an absolute path or an @abstract name, got '\(raw)'")
        }
        guard address.description.utf8.count <= maxAddressBytes, !raw.utf8.contains(0) else {
            throw SystemdNotifyError(.invalidAddress, "NOTIFY_SOCKET is longer than \(maxAddressBytes) bytes")
        }
        return address
    }

    /// sd_watchdog_enabled(3): a positive `$WATCHDOG_USEC`, and `$WATCHDOG_PID` absent or this
    /// process (a child that inherited the variables must not ping for its parent).
    static func watchdogTimeout(_ environment: [String: String], pid: Int32) -> Duration? {
        guard let usecText = environment["WATCHDOG_USEC"], let usec = UInt64(usecText), usec > 0, usec < UInt64(Int64.max) else {
            return nil
        }
        if let pidText = environment["WATCHDOG_PID"], !pidText.isEmpty {
            guard Int32(pidText) == pid else { return nil }
        }
        return .microseconds(Int64(usec))
    }

    /// Sends one notification. Throws (with errno) when the datagram could not be sent.
    public func send(_ notification: SystemdNotification) throws(SystemdNotifyError) {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw SystemdNotifyError(.sendFailed, "socket(AF_UNIX): \(Self.errnoText())") }
        defer { close(fd) }

        let payload = Array(notification.datagram.utf8)
        let sent = address.withSockaddr { sa, length in
            payload.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sa, length) }
        }
        guard sent == payload.count else {
            throw SystemdNotifyError(.sendFailed, "sendto(\(address)): \(sent < 0 ? Self.errnoText() : "short write")")
        }
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
