/// A receiver of dispatchd's generic alert webhook (`TRACKHUB_ALERT_WEBHOOK_URL` pointed at
/// `POST /alerts` here): records every JSON body it is sent (a ``FakeInbox``), and answers 200,
/// or the statuses queued with ``failNext(_:status:)`` (a flaky receiver, to exercise the
/// outbox's retries).
public final class FakeAlertWebhook: Sendable {
    /// One POST as received.
    public struct Received: Sendable, Equatable {
        public let body: String
        public let status: Int
    }

    let inbox = FakeInbox()

    public init() {}

    /// The next `count` POSTs are answered `status` (and still recorded).
    public func failNext(_ count: Int, status: Int = 503) {
        inbox.failNext(count, status: status)
    }

    /// Every POST so far, in arrival order.
    public func received() -> [Received] { inbox.received().map { Received(body: $0.text, status: $0.status) } }

    /// The bodies that were answered 2xx.
    public func accepted() -> [String] { inbox.accepted().map(\.text) }
}
