/// A payment gateway whose webhooks ingestd accepts at `POST /webhooks/{gateway}/{account}`.
///
/// The raw value is the path segment and the name stored in configuration, so it must never
/// change for an existing case.
public enum Gateway: String, CaseIterable, Codable, Sendable {
    case hotmart
    case kiwify
    case eduzz
    case monetizze
    case mercadopago
    case stripe
    /// Not a payment gateway: a Telegram bot's updates (`/webhooks/telegram/{bot username}`),
    /// authenticated by the `secret_token` given to `setWebhook`. Configured like a gateway
    /// account (its secret sealed the same way) so it shares the webhook path, the durability
    /// contract and the inbox; dispatchd turns its `/start` updates into funnel events.
    case telegram
}

extension Gateway {
    /// The payment gateways (every case but ``telegram``): the ones that report sales.
    public static let payments: [Gateway] = allCases.filter { $0 != .telegram }

    /// Whether webhooks from this source are sales (false for Telegram bot updates).
    public var reportsSales: Bool { self != .telegram }

    /// The query parameters a parser reads (Mercado Pago names the payment there): the only ones
    /// a webhook envelope keeps, so a token or personal data in a webhook URL is never stored
    /// (issue 14). Authentication reads the whole query before this applies.
    public var queryNamesKept: Set<String> {
        switch self {
        case .mercadopago: ["type", "topic", "data.id", "id"]
        case .hotmart, .kiwify, .eduzz, .monetizze, .stripe, .telegram: []
        }
    }
}
