/// The console's *Webhooks ignorados*: deliveries that were stored but not turned into a sale
/// event, with their reasons.
public protocol IgnoredWebhookReader: Sendable {
    /// Newest first, within `scope`, received in the last `hours`.
    func ignoredWebhooks(scope: InsightScope, hours: Int, limit: Int) async throws -> [IgnoredWebhook]
}
