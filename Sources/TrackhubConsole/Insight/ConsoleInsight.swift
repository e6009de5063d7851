import Foundation
import TrackhubCore

/// What the insight pages (Registro, Fila de falhas, Webhooks ignorados, Ao vivo, Ajuda) share:
/// the user's tenants as an ``InsightScope``, texts of the core in the page's language, and
/// where each fix the assistant proposes is applied in the console.
enum ConsoleInsight {
    /// The scope of a user's pages: an owner (or a user given every tenant) sees everything,
    /// including history whose tenant was removed; others see their tenants.
    static func scope(_ user: ConsoleUser) -> InsightScope {
        user.allTenants ? .all : .tenants(user.tenants)
    }

    static func text(_ text: InsightText, _ language: ConsoleLanguage) -> String {
        text.text(english: language == .english)
    }

    /// The CSS class of a fate (the same colours as Início's).
    static func fateClass(_ fate: LedgerFate) -> String {
        switch fate {
        case .sent: "sent"
        case .recordedOnly: "dry_run"
        case .waiting, .parked, .unknown, .duplicate: "waiting"
        case .deadLettered, .consentBlocked, .clickMissing: "not_sent"
        }
    }

    /// Where the console applies a proposed fix (the page, or the form that does it).
    static func path(_ action: ProposedFix.Action) -> String {
        switch action {
        case .replaceToken, .configurePixel: "/setup"
        case .switchPixelToLive: "/setup"
        case .replayDeadLetters(let reason): "/failures?reason=" + query(reason)
        case .checkGatewayWebhook, .configureGateway: "/setup"
        case .checkTrackingLink, .checkLandingPage: "/setup"
        case .contactSupport: "/help#support"
        }
    }

    /// `/ledger/event?...` for one event.
    static func eventPath(_ key: LedgerEventKey) -> String {
        "/ledger/event?pixel=\(query(key.pixel))&name=\(query(key.eventName))&id=\(query(key.eventID))"
    }

    /// A query-string value: everything but RFC 3986's unreserved characters percent-encoded.
    static func query(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
