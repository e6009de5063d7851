public import Hummingbird

/// ``FakeAlertWebhook``'s one route: `POST /alerts`.
public struct FakeAlertWebhookRoutes: FakeRoutes {
    public let webhook: FakeAlertWebhook

    public init(webhook: FakeAlertWebhook) {
        self.webhook = webhook
    }

    public func register(on router: Router<BasicRequestContext>) {
        FakeInboxRoutes(path: "alerts", inbox: webhook.inbox).register(on: router)
    }
}
