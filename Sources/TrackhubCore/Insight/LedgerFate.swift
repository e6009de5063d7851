/// What became of one event, in the seller's terms, decided from its attempts (a pure
/// function: the same rows always read the same way).
///
/// The ledger is append-only, so the latest row says where the event is now — except that a
/// `sent` anywhere means Meta has it (a later `skipped_duplicate` is another envelope's repeat).
public enum LedgerFate: Sendable, Equatable {
    /// Meta accepted it (the request's fbtrace_id when Meta gave one).
    case sent(fbtraceID: String?)
    /// Built and validated, deliberately not sent: the pixel is in `dry_run`.
    case recordedOnly
    /// Not sent because the buyer declined ad tracking.
    case consentBlocked
    /// Will be sent later without anyone's help (retry, throttling pause, late click).
    case waiting(LedgerOutcome)
    /// Waits for a new access token (the pixel's token was refused).
    case parked
    /// Will not be sent without intervention: see the dead letter.
    case deadLettered
    /// Another delivery of the same event owns it (dedupe).
    case duplicate
    /// A bot `/start` whose click never arrived: recorded, never sent.
    case clickMissing
    /// No attempt recorded (yet).
    case unknown

    /// Reads the attempts of one event (any order).
    public static func of(_ attempts: [LedgerAttempt]) -> LedgerFate {
        if let sent = attempts.filter({ $0.outcome == LedgerOutcome.sent.rawValue }).max(by: { $0.id < $1.id }) {
            return .sent(fbtraceID: sent.fbtraceID)
        }
        guard let latest = attempts.max(by: { $0.id < $1.id }) else { return .unknown }
        switch latest.ledgerOutcome {
        case .sent: return .sent(fbtraceID: latest.fbtraceID)
        case .dryRun: return .recordedOnly
        case .consentBlocked: return .consentBlocked
        case .retryScheduled: return .waiting(.retryScheduled)
        case .unconfirmed: return .waiting(.unconfirmed)
        case .inFlight: return .waiting(.inFlight)
        case .deferred: return .waiting(.deferred)
        case .held: return .waiting(.held)
        case .batchRejected: return .waiting(.batchRejected)
        case .parked: return .parked
        case .deadLettered: return .deadLettered
        case .skippedDuplicate: return .duplicate
        case .clickMissing: return .clickMissing
        case nil: return .unknown
        }
    }

    /// True when Meta has the event.
    public var reachedMeta: Bool {
        if case .sent = self { return true }
        return false
    }

    /// One short line for lists and timelines.
    public var label: InsightText {
        switch self {
        case .sent: InsightText("Enviado ao Meta", en: "Sent to Meta")
        case .recordedOnly: InsightText("Registrado sem enviar (pixel em simulação)", en: "Recorded, not sent (pixel in dry run)")
        case .consentBlocked: InsightText("Não enviado: o comprador recusou o rastreamento", en: "Not sent: the buyer declined tracking")
        case .waiting(.held): InsightText("Aguardando o clique", en: "Waiting for the click")
        case .waiting(.deferred): InsightText("Aguardando: envio pausado pelo Meta", en: "Waiting: sending paused by Meta")
        case .waiting(.inFlight): InsightText("Saindo para o Meta agora (se o envio foi interrompido, outro worker reenvia)",
                                              en: "Leaving for Meta now (if the send was cut short, another worker resends it)")
        case .waiting(.unconfirmed): InsightText("Sem resposta do Meta: nova tentativa agendada (o Meta pode já ter recebido; o reenvio usa o mesmo event_id)",
                                                 en: "No answer from Meta: retry scheduled (Meta may already have it; the resend uses the same event_id)")
        case .waiting: InsightText("Nova tentativa agendada", en: "Retry scheduled")
        case .parked: InsightText("Aguardando um novo token de acesso", en: "Waiting for a new access token")
        case .deadLettered: InsightText("Não enviado: está na fila de falhas", en: "Not sent: in the failure queue")
        case .duplicate: InsightText("Repetido: já registrado por outra entrega", en: "Duplicate: already registered by another delivery")
        case .clickMissing: InsightText("Não enviado: o clique do /start não chegou", en: "Not sent: the /start's click never arrived")
        case .unknown: InsightText("Sem tentativas registradas", en: "No attempts recorded")
        }
    }
}
