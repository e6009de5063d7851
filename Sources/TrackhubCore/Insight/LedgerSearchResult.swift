/// What a ledger search found: the events (with their fate), the sales and the clicks or page
/// events the query named. A sale that produced no event (canceled, a gateway test delivery)
/// still shows, with no event beside it.
public struct LedgerSearchResult: Sendable, Equatable {
    public var query: LedgerSearchQuery
    public var events: [LedgerEventSummary]
    public var sales: [LedgerSale]
    public var touchpoints: [LedgerTouchpoint]
    /// True when a list was cut at the search's limit.
    public var truncated: Bool

    public init(query: LedgerSearchQuery, events: [LedgerEventSummary] = [], sales: [LedgerSale] = [],
                touchpoints: [LedgerTouchpoint] = [], truncated: Bool = false) {
        self.query = query; self.events = events; self.sales = sales; self.touchpoints = touchpoints
        self.truncated = truncated
    }

    public var isEmpty: Bool { events.isEmpty && sales.isEmpty && touchpoints.isEmpty }
}
