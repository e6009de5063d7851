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
}

extension Gateway {
    /// The query parameters a parser reads (Mercado Pago names the payment there): the only ones
    /// a webhook envelope keeps, so a token or personal data in a webhook URL is never stored
    /// (issue 14). Authentication reads the whole query before this applies.
    public var queryNamesKept: Set<String> {
        switch self {
        case .mercadopago: ["type", "topic", "data.id", "id"]
        case .hotmart, .kiwify, .eduzz, .monetizze, .stripe: []
        }
    }
}
