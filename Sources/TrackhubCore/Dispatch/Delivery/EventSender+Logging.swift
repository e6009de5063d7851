import Logging
import Metrics

/// The lines and counters of ``EventSender``: one place that turns a decision into what an
/// operator reads (docs/OPERATIONS.md greps these messages and keys).
extension EventSender {
    func log(_ d: OutcomeDecider.Decision, chunk: [OutboundEvent], pixel: DispatchConfig.Pixel, attempt: OutcomeDecider.Attempt) {
        let status = "\(attempt.httpStatus ?? 0)"
        if case .accepted(let fbtrace) = d.verdict {
            // Sale events (Purchase, refunds…) get their own `info` line: they are what an
            // operator traces (docs/OPERATIONS.md). Funnel events (clicks, page events) are
            // summed up in one `batch sent` line per request, their own lines at `debug`: at
            // campaign peaks thousands of lines a second would cost CPU and overrun journald's
            // rate limit, which drops lines — sale lines included. The ledger has every event.
            var funnel = 0
            for e in chunk {
                let level: Logger.Level = e.conversionID == nil ? .debug : .info
                if e.conversionID == nil { funnel += 1 }
                logger.log(level: level, "event sent", metadata: eventMetadata(e, outcome: "sent", attempt: e.attempts + 1).merging(
                    [LogKey.fbtraceID: "\(fbtrace ?? "-")", LogKey.httpStatus: "\(status)", LogKey.requestID: "\(attempt.requestID)"]) { a, _ in a })
            }
            logger.info("batch sent", metadata: [
                LogKey.pixel: "\(pixel.id)", LogKey.events: "\(chunk.count)", LogKey.funnelEvents: "\(funnel)", LogKey.saleEvents: "\(chunk.count - funnel)",
                LogKey.fbtraceID: "\(fbtrace ?? "-")", LogKey.httpStatus: "\(status)", LogKey.requestID: "\(attempt.requestID)",
                LogKey.latencyMs: "\(attempt.latencyMs)",
            ])
            Counter(label: "trackhub_dispatch_events_total", dimensions: [("outcome", "sent")]).increment(by: chunk.count)
            return
        }
        func failureMetadata(_ failure: MetaFailure) -> Logger.Metadata {
            var meta: Logger.Metadata = [
                LogKey.pixel: "\(pixel.id)", LogKey.failureClass: "\(failure.class.rawValue)", LogKey.httpStatus: "\(failure.httpStatus ?? 0)",
                LogKey.metaCode: "\(failure.code ?? 0)", LogKey.metaSubcode: "\(failure.subcode ?? 0)", LogKey.batch: "\(chunk.count)",
                LogKey.requestID: "\(attempt.requestID)", LogKey.metaMessage: "\(failure.message)",
            ]
            if let t = failure.fbtraceID { meta[LogKey.fbtraceID] = "\(t)" }
            return meta
        }
        switch d.verdict {
        case .accepted, .empty:
            break
        case .culprit(let e, let failure):
            logger.warning("event rejected by meta", metadata: failureMetadata(failure).merging(eventMetadata(e, outcome: "dead_lettered")) { a, _ in a })
        case .bisect(_, _, let failure):
            logger.notice("batch rejected; splitting to isolate invalid events", metadata: failureMetadata(failure))
        case .parked(let failure):
            logger.error("pixel paused: meta refused its token or permissions; events kept until a new token is applied",
                         metadata: failureMetadata(failure).merging(["alert": "pixel_token"]) { a, _ in a })
            Counter(label: "trackhub_alerts_total", dimensions: [("kind", "pixel_token")]).increment()
        case .throttled(let failure):
            logger.warning("pixel throttled by meta; paused for every instance", metadata: failureMetadata(failure))
        case .retried(let failure):
            logger.warning("capi request failed; retrying with backoff", metadata: failureMetadata(failure))
        }
        let retries = d.result.ledger.filter { $0.outcome == .retryScheduled }.count
        if retries > 0 { Counter(label: "trackhub_dispatch_retries_total").increment(by: retries) }
        let dead = d.result.deadLetters.count
        if dead > 0 { Counter(label: "trackhub_dispatch_events_total", dimensions: [("outcome", "dead_lettered")]).increment(by: dead) }
    }

    func eventMetadata(_ e: OutboundEvent, outcome: String, attempt: Int? = nil) -> Logger.Metadata {
        var m: Logger.Metadata = [LogKey.eventID: "\(e.eventID)", LogKey.eventName: "\(e.eventName)", LogKey.pixel: "\(e.pixel)",
                                  LogKey.envelopeID: "\(e.envelopeID)", LogKey.outcome: "\(outcome)"]
        if let attempt { m[LogKey.attempt] = "\(attempt)" }
        return m
    }
}
