import Foundation
import Testing
@testable import TrackhubCore

@Suite("Insight values: replay confirmation, ignored webhook outcomes, live status")
struct InsightValuesTests {
    static func entry(_ id: Int, _ verdict: DeadLetterEntry.ReplayVerdict, reason: String = "retries_exhausted") -> DeadLetterEntry {
        DeadLetterEntry(id: id, reason: reason, detail: "", eventID: "e\(id)", pixel: "111", envelopeID: nil,
                        createdAt: Date(timeIntervalSince1970: Double(1_800_000_000 + id)), replay: verdict)
    }

    @Test("a replay is confirmed only by the value of the same preview: other ids, nothing, or an empty preview never confirm")
    func confirmation() {
        let preview = DeadLetterReplayPreview(entries: [Self.entry(7, .replayable), Self.entry(3, .expired)])
        #expect(preview.confirmation == "replay:3,7")
        #expect(preview.isConfirmed(by: "replay:3,7"))
        #expect(!preview.isConfirmed(by: nil) && !preview.isConfirmed(by: "replay:3") && !preview.isConfirmed(by: "replay:3,7,9"))
        #expect(!DeadLetterReplayPreview(entries: []).isConfirmed(by: DeadLetterReplayPreview(entries: []).confirmation))
        let many = DeadLetterReplayPreview(entries: (1...100).map { Self.entry($0, .replayable) })
        #expect(many.confirmation.hasPrefix("replay:100:") && many.confirmation.count < 40)
        #expect(preview.summary.ptBR.contains("1 item(ns) serão reenviados") && preview.summary.ptBR.contains("mais de 7 dias"))
    }

    @Test("groups by reason: largest first, with the expired share")
    func groups() {
        let g = DeadLetterGroup.group([Self.entry(1, .replayable), Self.entry(2, .expired), Self.entry(3, .replayable, reason: "invalid"),
                                       Self.entry(4, .replayable)])
        #expect(g.map(\.reason) == ["retries_exhausted", "invalid"] && g[0].count == 3 && g[0].expired == 1)
        #expect(g[0].oldest == Date(timeIntervalSince1970: 1_800_000_001) && g[0].newest == Date(timeIntervalSince1970: 1_800_000_004))
        #expect(DeadLetterExplanation.of(reason: "expired").ptBR.contains("7 dias"))
        #expect(DeadLetterExplanation.of(reason: "something_new").en == "Reason: something_new")
        #expect(DeadLetterExplanation.of(reason: "delivery_cap").en.contains("stopped the workers"))
    }

    @Test("inbox outcomes: ignored and dead-lettered with their reasons; conversions are not ignored")
    func inboxOutcomes() {
        #expect(IgnoredWebhook.parseOutcome("ignored: event type PURCHASE_DELAYED")! == (.ignored, "event type PURCHASE_DELAYED"))
        #expect(IgnoredWebhook.parseOutcome("dead_lettered: missing transaction id")! == (.deadLettered, "missing transaction id"))
        #expect(IgnoredWebhook.parseOutcome("conversion approved") == nil)
    }

    @Test("live status from dispatchd status's report: totals, the scope's paused pixels, and the headline")
    func liveStatus() {
        var report = StatusReport()
        report.streams = [StatusReport.StreamStatus(stream: "th:ingest:high", length: 9, lag: 3, pending: 2, consumers: []),
                          StatusReport.StreamStatus(stream: "th:ingest:low", length: 9, lag: 4, pending: 1, consumers: [])]
        report.retryScheduled = 5
        report.pixels = [StatusReport.PixelStatus(pixel: "111", mode: "live", pause: "token (until a new token is applied)", parked: 14,
                                                  lastError: nil, lastErrorAt: nil, sentLastHour: 0),
                         StatusReport.PixelStatus(pixel: "222", mode: "live", pause: "throttled (30 s left)", parked: 0,
                                                  lastError: nil, lastErrorAt: nil, sentLastHour: 0)]
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        let s = LiveStatus.from(report, sendsPerMinute: 42, deadLetters: 0, pixels: ["111"], at: at)
        #expect(s.lag == 7 && s.pending == 3 && s.retriesScheduled == 5 && s.sendsPerMinute == 42)
        #expect(s.pausedPixels == [LiveStatus.PausedPixel(pixel: "111", pause: "token (until a new token is applied)", parked: 14)])
        #expect(s.headline.level == .problem && s.headline.text.ptBR.contains("14 evento(s) aguardando"))

        let calm = LiveStatus.from(StatusReport(), sendsPerMinute: 3, deadLetters: 0, pixels: nil, at: at)
        #expect(calm.headline.level == .ok && calm.headline.text.ptBR == "Tudo certo: 3 envio(s) ao Meta no último minuto.")
        #expect(LiveStatus.from(StatusReport(), sendsPerMinute: 0, deadLetters: 2, pixels: nil, at: at).headline.level == .warning)
    }
}
