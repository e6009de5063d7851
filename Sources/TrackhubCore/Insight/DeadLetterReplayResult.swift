/// The answer to a replay request: either nothing happened and here is what would, with the
/// value that confirms it; or the replay ran and here is `dispatchd dlq replay`'s report.
public enum DeadLetterReplayResult: Sendable {
    case needsConfirmation(DeadLetterReplayPreview)
    case replayed(DeadLetterAdmin.ReplayReport)

    /// The report in words (what the console shows after a replay).
    public static func describe(_ report: DeadLetterAdmin.ReplayReport) -> InsightText {
        let sent = report.replayedEvents + report.replayedEnvelopes + report.replayedForwards
        var pt = "\(sent) item(ns) reenviado(s)."
        var en = "\(sent) item(s) replayed."
        if !report.refusedExpired.isEmpty {
            pt += " \(report.refusedExpired.count) recusado(s): mais de 7 dias, o Meta não aceita."
            en += " \(report.refusedExpired.count) refused: older than 7 days, Meta does not accept them."
        }
        if !report.unreplayable.isEmpty {
            pt += " \(report.unreplayable.count) sem nada para reenviar."
            en += " \(report.unreplayable.count) held nothing to replay."
        }
        return InsightText(pt, en: en)
    }
}
