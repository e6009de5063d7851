import Synchronization

/// A receiver of dispatchd's generic alert webhook (`TRACKHUB_ALERT_WEBHOOK_URL` pointed at
/// `POST /alerts` here): records every JSON body it is sent, and answers 200, or the statuses
/// queued with ``failNext(_:status:)`` (a flaky receiver, to exercise the outbox's retries).
public final class FakeAlertWebhook: Sendable {
    /// One POST as received.
    public struct Received: Sendable, Equatable {
        public let body: String
        public let status: Int
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

    /// The bodies that were answered 2xx.
    public func accepted() -> [String] { received().filter { (200..<300).contains($0.status) }.map(\.body) }

    func record(_ body: String) -> Int {
        state.withLock { s in
            let status = s.failures.isEmpty ? 200 : s.failures.removeFirst()
            s.received.append(Received(body: body, status: status))
            return status
        }
    }
}
