/// One sd_notify(3) datagram: newline-separated `KEY=value` assignments that tell systemd a
/// `Type=notify` service's state (`READY=1`, `WATCHDOG=1`, `STOPPING=1`, `STATUS=…`).
///
/// Built as a value so the wire format is unit-tested without a socket.
public struct SystemdNotification: Sendable, Equatable, CustomStringConvertible {
    /// The assignments, in order.
    public private(set) var assignments: [(key: String, value: String)]

    public init(_ assignments: [(key: String, value: String)]) {
        self.assignments = assignments.map { ($0.key, Self.singleLine($0.value)) }
    }

    /// The service finished starting up: systemd moves it to `active (running)` and starts
    /// the units ordered after it.
    public static let ready = SystemdNotification([("READY", "1")])
    /// The service is beginning its shutdown (sent on SIGTERM, before draining).
    public static let stopping = SystemdNotification([("STOPPING", "1")])
    /// Keep-alive for `WatchdogSec=`: without one within the timeout systemd kills and restarts
    /// the service.
    public static let watchdog = SystemdNotification([("WATCHDOG", "1")])

    /// A free-form one-line status shown by `systemctl status`.
    public static func status(_ text: String) -> SystemdNotification {
        SystemdNotification([("STATUS", text)])
    }

    /// This notification with a `STATUS=` line added.
    public func with(status text: String) -> SystemdNotification {
        var copy = self
        copy.assignments.append(("STATUS", Self.singleLine(text)))
        return copy
    }

    /// The datagram payload, e.g. `READY=1\nSTATUS=listening on 8080`.
    public var datagram: String {
        assignments.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
    }

    public var description: String { datagram.replacingNewlines(with: "; ") }

    public static func == (a: SystemdNotification, b: SystemdNotification) -> Bool {
        a.assignments.elementsEqual(b.assignments) { $0.key == $1.key && $0.value == $1.value }
    }

    /// A value may not contain a newline: it would start a new assignment.
    static func singleLine(_ value: String) -> String {
        value.replacingNewlines(with: " ")
    }
}

extension String {
    fileprivate func replacingNewlines(with separator: String) -> String {
        split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: separator)
    }
}
