public import Foundation

/// A click or page event (one row of `touchpoints`) found by a search: enough to say "the
/// click arrived at 14h32 through this link" without showing the visitor's data.
public struct LedgerTouchpoint: Sendable, Equatable {
    public var id: Int64
    public var tenant: String
    /// `click`, `pageview`, `lead`, …
    public var kind: String
    public var clickID: String?
    /// The event id its event was sent with (the click id for a click's PageView, the browser's
    /// `eventID`, or `th.<envelope id>`), so its ledger rows can be found.
    public var eventID: String
    public var occurredAt: Date
    /// Whether the subject declined ad tracking.
    public var consent: Bool
    /// The tracking link a click came through (`/go/{slug}`).
    public var linkSlug: String?
    /// Its UTMs (`utm_source` … `utm_content`, as the ad's URL carried them): which ad brought it.
    public var utm: [String: String]
    /// The page a page event was sent from (its query string as the browser had it).
    public var pageURL: String?

    public init(id: Int64, tenant: String, kind: String, clickID: String?, eventID: String, occurredAt: Date, consent: Bool,
                linkSlug: String? = nil, utm: [String: String] = [:], pageURL: String? = nil) {
        self.id = id; self.tenant = tenant; self.kind = kind; self.clickID = clickID; self.eventID = eventID
        self.occurredAt = occurredAt; self.consent = consent; self.linkSlug = linkSlug; self.utm = utm; self.pageURL = pageURL
    }

    /// The UTMs in the order sellers read them (source, medium, campaign, content, term), then any other.
    public var orderedUTM: [(key: String, value: String)] {
        let order = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"]
        return utm.filter { !$0.value.isEmpty }
            .sorted { (order.firstIndex(of: $0.key) ?? order.count, $0.key) < (order.firstIndex(of: $1.key) ?? order.count, $1.key) }
            .map { (key: $0.key, value: $0.value) }
    }
}
