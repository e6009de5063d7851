import Foundation

/// Whether a sale's event may reach Meta — a pure decision over the tenant's
/// ``SaleConsentPolicy`` and the consent signals the sale carries (issue 18, item 4):
///
/// 1. the sale's own signal, `th_consent` in the payment's metadata (Stripe `metadata`, Mercado
///    Pago `metadata`: what a checkout the seller controls can set), wins;
/// 2. otherwise the browser's: the newest page event of the sale's click said `consent: false`
///    (the buyer declined on the landing page, so the sale that click led to is not sent either);
/// 3. otherwise the policy: `honor_decline` sends, `require_grant` does not.
///
/// A blocked sale is stored, matched and counted like any other; its event is recorded
/// `consent_blocked` in the ledger (never sent), as a declined browser event is.
public enum SaleConsent {
    /// What a signal says.
    public enum Signal: String, Sendable, Equatable {
        case granted, declined
    }

    /// The decision, with the reason the ledger and the logs give for a block.
    public enum Verdict: Sendable, Equatable {
        case send
        case blocked(reason: String)
    }

    /// The metadata key a checkout sets: `1`/`true`/`yes`/`granted` or `0`/`false`/`no`/`denied`/`declined`.
    public static let metadataKey = "th_consent"

    /// The sale's own signal from its metadata (nil: absent or unreadable).
    public static func signal(metadata: [String: String]) -> Signal? {
        guard let raw = metadata[metadataKey]?.trimmingCharacters(in: .whitespaces).lowercased() else { return nil }
        switch raw {
        case "1", "true", "yes", "sim", "granted": return .granted
        case "0", "false", "no", "nao", "não", "denied", "declined": return .declined
        default: return nil
        }
    }

    public static func decide(policy: SaleConsentPolicy, sale: Signal?, clickDeclined: Bool) -> Verdict {
        switch sale {
        case .granted: return .send
        case .declined: return .blocked(reason: "the sale's \(metadataKey) says the buyer declined")
        case nil: break
        }
        if clickDeclined { return .blocked(reason: "the buyer declined tracking on the landing page of the sale's click") }
        switch policy {
        case .honorDecline: return .send
        case .requireGrant: return .blocked(reason: "the tenant requires consent (require_grant) and the sale carries no \(metadataKey)")
        }
    }
}
