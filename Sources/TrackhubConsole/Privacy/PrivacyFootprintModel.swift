import TrackhubCore

/// The rows Privacidade shows for one person — pure: the counts per place that
/// ``PersonFootprint/counts`` (plus the events waiting in Redis) or an erasure's report give,
/// named as a seller says them. Counts only: never a value, never a hash.
struct PrivacyFootprintModel: Sendable {
    /// Counts per place, under the names the footprint, the export and the audit use.
    let counts: [(String, Int)]

    /// The places in the order the page lists them, with their seller's names.
    static let kinds: [(key: String, text: InsightText)] = [
        ("touchpoints", InsightText("Cliques e eventos da página", en: "Clicks and page events")),
        ("conversions", InsightText("Vendas", en: "Sales")),
        ("dispatch_attempts", InsightText("Tentativas no registro (eventos enviados ao Meta)", en: "Ledger attempts (events sent to Meta)")),
        ("dead_letters", InsightText("Envios na fila de falhas", en: "Sends in the failure queue")),
        ("webhook_inbox", InsightText("Corpos de webhook guardados", en: "Stored webhook bodies")),
        ("redis_retry_and_parked", InsightText("Itens na fila (esperando reenvio)", en: "Items in the queue (waiting to be sent)")),
        ("telegram_bot_users", InsightText("Vínculos com o bot do Telegram", en: "Telegram bot links")),
    ]

    init(counts: [(String, Int)]) { self.counts = counts }

    /// A search's counts: the footprint's places and the events waiting in Redis.
    init(footprint: PersonFootprint, waiting: Int) {
        self.init(counts: footprint.counts + [("redis_retry_and_parked", waiting)])
    }

    func count(_ key: String) -> Int { counts.first { $0.0 == key }?.1 ?? 0 }

    /// Every row held, of every place.
    var total: Int { counts.reduce(0) { $0 + $1.1 } }

    /// One row per place (zeros included: "0 vendas" is an answer too), in the page's order.
    func rows(_ language: ConsoleLanguage) -> [[String: Any]] {
        Self.kinds.map { kind in
            let n = count(kind.key)
            return ["key": kind.key, "label": ConsoleInsight.text(kind.text, language), "count": ConsoleFormat.integer(n, language), "zero": n == 0]
        }
    }

    /// The counts as the audit row records them (`touchpoints 2, conversions 1, …`): no identifier.
    var auditSummary: String {
        counts.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }
}
