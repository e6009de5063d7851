/// What one rollup row counts: the closed vocabulary of `analytics_hourly.metric`, written by
/// the database triggers of migration 12 (`Migrations.analytics`) and read here.
///
/// `page:<kind>`, `sale:<status>`, `match:<method>`, `attempt:<outcome>` and `sent:<event>`
/// carry their detail after the colon, so a new page event kind, ledger outcome or match
/// method needs no schema change.
public enum RollupMetric: Sendable, Hashable {
    /// A click on a tracking link (`/go`).
    case clicks
    /// A page event by its kind (`pageview`, `lead`, `initiate_checkout`, …).
    case page(String)
    /// A sale by status (`approved`, `pending`, `refunded`, `chargeback`, …), with its value.
    case sale(String)
    /// A sale matched to a touchpoint, by method (`click_id`, `email`, …).
    case match(String)
    /// One ledger row by outcome (`sent`, `retry_scheduled`, `parked`, `dead_lettered`, …).
    case attempt(String)
    /// The first `sent` ledger row of an event, by event name (`Purchase`, `PageView`, …).
    case sent(String)

    /// Page event kinds the funnel names.
    public static let leadKind = "lead"
    public static let checkoutKind = "initiate_checkout"

    /// The metric stored as `metric`, or nil for a name this version does not know.
    public init?(stored: String) {
        if stored == "clicks" { self = .clicks; return }
        guard let colon = stored.firstIndex(of: ":") else { return nil }
        let detail = String(stored[stored.index(after: colon)...])
        switch stored[..<colon] {
        case "page": self = .page(detail)
        case "sale": self = .sale(detail)
        case "match": self = .match(detail)
        case "attempt": self = .attempt(detail)
        case "sent": self = .sent(detail)
        default: return nil
        }
    }

    /// The text stored in `analytics_hourly.metric`.
    public var stored: String {
        switch self {
        case .clicks: "clicks"
        case .page(let kind): "page:\(kind)"
        case .sale(let status): "sale:\(status)"
        case .match(let method): "match:\(method)"
        case .attempt(let outcome): "attempt:\(outcome)"
        case .sent(let event): "sent:\(event)"
        }
    }
}
