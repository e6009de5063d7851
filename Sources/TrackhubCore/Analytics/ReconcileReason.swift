/// Why a sale the gateway sent did not become an event at Meta — the closed vocabulary of
/// `dispatchd report reconcile` (docs/ANALYTICS.md, "Reconciliation").
public enum ReconcileReason: String, Sendable, CaseIterable, Comparable {
    /// The buyer declined ad tracking: recorded, never sent.
    case consent
    /// A gateway's test delivery to a live pixel: recorded, never sent.
    case testDelivery = "test_delivery"
    /// Older than Meta's 7-day window when it arrived.
    case expired
    /// Dead-lettered (the detail says which reason: invalid, validation, retries_exhausted, …).
    case deadLetter = "dead_letter"
    /// Waiting for a new access token (pixel paused by Meta's token/permission answer).
    case parkedToken = "parked_token"
    /// Waiting for the click it carries (a late click), up to the hold.
    case heldLateClick = "held_late_click"
    /// Another delivery of the same event was sent (or registered) first.
    case duplicate
    /// The status maps to no Meta event for this account (canceled, pending without `pending_event`, …).
    case ignoredStatus = "ignored_status"
    /// The pixel is in `dry_run`: built and recorded, not sent.
    case dryRun = "dry_run"
    /// A send failed and is scheduled again (or deferred by throttling): not at Meta yet.
    case retrying
    /// Stored, but no decision recorded yet (the batch is still in hand).
    case notProcessed = "not_processed"

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// The reason in the seller's words, pt-BR and English (the console's Vendas page).
    public var label: InsightText {
        switch self {
        case .consent: InsightText("comprador recusou rastreamento", en: "buyer declined tracking")
        case .testDelivery: InsightText("teste do gateway", en: "gateway test delivery")
        case .expired: InsightText("mais de 7 dias (expirada)", en: "older than 7 days (expired)")
        case .deadLetter: InsightText("fila de falhas", en: "failure queue")
        case .parkedToken: InsightText("aguardando novo token do pixel", en: "waiting for a new pixel token")
        case .heldLateClick: InsightText("aguardando o clique", en: "waiting for its click")
        case .duplicate: InsightText("duplicada", en: "duplicate")
        case .ignoredStatus: InsightText("status sem evento", en: "status with no event")
        case .dryRun: InsightText("pixel em simulação", en: "pixel in simulation (dry run)")
        case .retrying: InsightText("reenvio agendado", en: "retry scheduled")
        case .notProcessed: InsightText("ainda não processada", en: "not processed yet")
        }
    }
}
