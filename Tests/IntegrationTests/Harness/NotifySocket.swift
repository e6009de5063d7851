import Foundation
import Synchronization
import TrackhubCore

/// Stands in for systemd's notify socket: a Unix datagram socket bound to a path or an
/// abstract name, recording every datagram a daemon sends, in order of arrival.
final class NotifySocket: Sendable {
    struct Datagram: Sendable {
        let text: String
        /// The `KEY=value` lines.
        var assignments: [String] { text.split(separator: "\n").map(String.init) }
        func has(_ assignment: String) -> Bool { assignments.contains(assignment) }
    }

    let address: SystemdNotifier.Address
    private let fd: Int32
    private let received = Mutex<[Datagram]>([])

    init(_ address: SystemdNotifier.Address) throws {
        self.address = address
        if case .path(let p) = address { unlink(p) }
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: errno \(errno)") }
        let rc = address.withSockaddr { bind(fd, $0, $1) }
        guard rc == 0 else {
            close(fd)
            throw HarnessError("bind \(address): errno \(errno)")
        }
    }

    /// The value of `$NOTIFY_SOCKET` that reaches this socket.
    var environmentValue: String { address.description }

    /// Reads what arrived so far and returns every datagram received since the start.
    @discardableResult
    func poll() -> [Datagram] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard n > 0 else { break }
            let datagram = Datagram(text: String(decoding: buffer[0..<n], as: UTF8.self))
            received.withLock { $0.append(datagram) }
        }
        return received.withLock { $0 }
    }

    /// Waits for the first datagram holding `assignment` (e.g. `READY=1`).
    func waitFor(_ assignment: String, timeout: Duration = .seconds(20)) async throws -> Datagram {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let d = poll().first(where: { $0.has(assignment) }) { return d }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw HarnessError("no \(assignment) on \(address) within \(timeout); got \(poll().map(\.text))")
    }

    deinit {
        close(fd)
        if case .path(let p) = address { unlink(p) }
    }
}
