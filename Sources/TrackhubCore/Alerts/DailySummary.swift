public import Foundation

/// Yesterday in one message for a tenant's chat: approved sales, Purchases that reached Meta,
/// and why the others did not ("ontem: 42 vendas aprovadas, 41 enviadas à Meta, 1 não
/// enviada: teste do gateway"). Counted from the conversions and the attempt ledger (the
/// numbers helper's reconciliation, when it lands, is the one to switch to); ROAS is added
/// only when spend is known.
public struct DailySummary: Sendable, Equatable {
    public var tenant: String
    /// The local day (`2026-12-05`).
    public var day: String
    public var approved: Int
    public var sent: Int
    /// Sales not sent, by reason (ledger outcome or the reason the sale was ignored).
    public var notSent: [String: Int]
    public var roas: Decimal?

    public init(tenant: String, day: String, approved: Int, sent: Int, notSent: [String: Int], roas: Decimal? = nil) {
        self.tenant = tenant
        self.day = day
        self.approved = approved
        self.sent = sent
        self.notSent = notSent
        self.roas = roas
    }

    /// The pt-BR text (plain; the Telegram channel escapes it).
    public var text: String {
        var s = "ontem: \(approved) \(approved == 1 ? "venda aprovada" : "vendas aprovadas"), \(sent) \(sent == 1 ? "enviada" : "enviadas") à Meta"
        let missing = notSent.values.reduce(0, +)
        if missing > 0 {
            let reasons = notSent.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                .map { notSent.count == 1 ? Self.reason($0.key) : "\($0.value) \(Self.reason($0.key))" }
            s += ", \(missing) não \(missing == 1 ? "enviada" : "enviadas"): " + reasons.joined(separator: ", ")
        }
        if let roas {
            var r = roas, rounded = Decimal()
            NSDecimalRound(&rounded, &r, 1, .plain)
            s += "; ROAS " + "\(rounded)".replacingOccurrences(of: ".", with: ",")
        }
        return s
    }

    /// A ledger outcome or ignore reason in words.
    public static func reason(_ key: String) -> String {
        switch key {
        case "dry_run": "pixel em modo de teste (dry run)"
        case "consent_blocked": "comprador sem consentimento"
        case "dead_lettered": "na fila de falhas"
        case "parked": "pixel pausado (token)"
        case "held": "aguardando o clique"
        case "retry_scheduled", "batch_rejected": "em nova tentativa"
        case "unconfirmed": "sem resposta da Meta, em nova tentativa"
        case "in_flight": "sendo enviada agora"
        case "skipped_duplicate": "duplicada"
        case "not_recorded": "sem evento registrado"
        case let other where other.hasPrefix("ignored:"): String(other.dropFirst("ignored:".count)).trimmingCharacters(in: .whitespaces)
        default: key
        }
    }

    /// The summary of `tenant` for the local day `[start, end)`.
    public static func collect(tenant: String, day: String, start: Date, end: Date, connection: PostgresConnection) throws -> DailySummary {
        let rows = try connection.query("""
            WITH sales AS (
                SELECT c.id, c.ignored_reason FROM conversions c
                WHERE c.tenant_id = $1 AND c.status = 'approved' AND c.occurred_at >= $2 AND c.occurred_at < $3
            ), last AS (
                SELECT DISTINCT ON (a.conversion_id) a.conversion_id, a.outcome FROM dispatch_attempts a JOIN sales s ON s.id = a.conversion_id
                ORDER BY a.conversion_id, (a.outcome = 'sent') DESC, a.id DESC
            )
            SELECT CASE WHEN l.outcome IS NOT NULL THEN l.outcome
                        WHEN s.ignored_reason IS NOT NULL THEN 'ignored: ' || s.ignored_reason
                        ELSE 'not_recorded' END AS outcome, count(*) AS n
            FROM sales s LEFT JOIN last l ON l.conversion_id = s.id GROUP BY 1
            """, [.string(tenant), .timestamp(start), .timestamp(end)])
        var summary = DailySummary(tenant: tenant, day: day, approved: 0, sent: 0, notSent: [:])
        for i in rows.indices {
            let outcome = try rows.string(i, "outcome") ?? "not_recorded", n = try rows.int(i, "n") ?? 0
            summary.approved += n
            if outcome == "sent" { summary.sent += n } else { summary.notSent[outcome, default: 0] += n }
        }
        return summary
    }
}

extension DailySummary {
    /// `yyyy-MM-dd` of a date already shifted to local time (read as UTC).
    static func dayText(_ localMidnight: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: localMidnight)
    }
}
