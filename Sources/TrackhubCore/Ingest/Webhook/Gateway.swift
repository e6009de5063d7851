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
