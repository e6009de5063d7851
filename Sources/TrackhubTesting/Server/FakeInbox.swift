import Synchronization

/// A receiver of webhooks Trackhub sends out (alerts, bot updates relayed to a seller's backend):
/// records every POST byte for byte with its headers, and answers 200, or the statuses queued
/// with ``failNext(_:status:)`` (a flaky receiver, to exercise retries). Served on one path by
/// ``FakeInboxRoutes``.
public final class FakeInbox: Sendable {
    /// One POST as received.
    public struct Received: Sendable, Equatable {
        public let body: [UInt8]
        /// Header names lowercased, values as sent.
        public let headers: [String: String]
        public let status: Int

        /// The body as text.
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct State {
        var received: [Received] = []
        var failures: [Int] = []
    }

    let state = Mutex(State())

    public init() {}

    /// The next `count` POSTs are answered `status` (and still recorded).
    public func failNext(_ count: Int, status: Int = 503) {
        state.withLock { $0.failures += Array(repeating: status, count: count) }
    }

    /// Every POST so far, in arrival order.
    public func received() -> [Received] { state.withLock { $0.received } }

    /// The POSTs answered 2xx, in arrival order.
    public func accepted() -> [Received] { received().filter { (200..<300).contains($0.status) } }

    func record(_ body: [UInt8], headers: [String: String]) -> Int {
        state.withLock { s in
            let status = s.failures.isEmpty ? 200 : s.failures.removeFirst()
            s.received.append(Received(body: body, headers: headers, status: status))
            return status
        }
    }
}
