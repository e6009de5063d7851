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

    public init(id: Int64, tenant: String, kind: String, clickID: String?, eventID: String, occurredAt: Date, consent: Bool) {
        self.id = id; self.tenant = tenant; self.kind = kind; self.clickID = clickID; self.eventID = eventID
        self.occurredAt = occurredAt; self.consent = consent
    }
}
