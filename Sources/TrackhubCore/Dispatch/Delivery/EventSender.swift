public import Foundation
public import Logging
import Metrics

/// Sends one pixel's events to the Conversions API and decides what happens to each: sent,
/// retried later (transient, throttled), parked (token), dead-lettered (invalid, expired,
/// retries exhausted). Never sends an event older than Meta's 7-day window.
///
/// One invalid event makes Meta reject the whole batch, so a rejected batch is bisected until
/// the bad events are isolated; the others are sent.
public struct EventSender: Sendable {
    public struct Configuration: Sendable {
        /// e.g. `https://graph.facebook.com` (tests point it at a fake server).
        public var graphBaseURL: String
        public var graphVersion: String
        public var timeout: Duration
        public var connectTimeout: Duration
        public var retryPolicy: RetryPolicy
        /// How long a throttled pixel pauses for every instance.
        public var throttlePause: Duration

        public init(graphBaseURL: String = "https://graph.facebook.com", graphVersion: String = "v25.0",
                    timeout: Duration = .milliseconds(1500), connectTimeout: Duration = .seconds(1),
                    retryPolicy: RetryPolicy = RetryPolicy(), throttlePause: Duration = .seconds(60)) {
            self.graphBaseURL = graphBaseURL
            self.graphVersion = graphVersion
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.retryPolicy = retryPolicy
            self.throttlePause = throttlePause
        }
    }

    public let configuration: Configuration
    public let http: CurlClientPool
    public let redis: RedisClient
    public let control: PixelControl
    public let logger: Logger
    private let validator = CAPIEventValidator()

    public init(configuration: Configuration, http: CurlClientPool, redis: RedisClient, layout: StreamLayout, logger: Logger) {
        self.configuration = configuration
        self.http = http
        self.redis = redis
        self.control = PixelControl(layout: layout)
        self.logger = logger
    }

    /// Validates, rate-limits and sends `events` (all of `pixel`).
    public func send(_ events: [OutboundEvent], pixel: DispatchConfig.Pixel, now: Date = Date()) async throws -> SendResult {
        var result = SendResult()
        // An event past Meta's window never goes into a batch (it would sink the whole batch).
        // Structural validation happened when the event was built (see DispatchPipeline).
        var valid: [OutboundEvent] = []
        let limit = Int64(now.timeIntervalSince1970) - Self.maxAgeSeconds(validator)
        for e in events {
            if e.eventTime < limit {
                result.deadLetter(e, reason: .expired, detail: "event_time older than Meta's 7-day window", attempt: e.attempts + 1)
            } else {
                valid.append(e)
            }
        }
        guard !valid.isEmpty else { return result }

        if pixel.mode == .dryRun {
            for e in valid {
                result.ledger.append(LedgerEntry(event: e, attempt: e.attempts + 1, outcome: .dryRun))
                result.finished.append(e)
                logger.info("event recorded (dry run)", metadata: eventMetadata(e, outcome: "dry_run"))
            }
            Counter(label: "trackhub_dispatch_events_total", dimensions: [("outcome", "dry_run")]).increment(by: valid.count)
            return result
        }

        let pixelID = pixel.id
        if pixel.accessToken.isEmpty {
            // No usable token (missing, or sealed under a key this worker lacks): keep the events.
            logger.error("pixel has no usable access token; events kept until one is applied",
                         metadata: [LogKey.pixel: "\(pixel.id)", LogKey.alert: "pixel_token"])
            result.park += valid
            for e in valid { result.ledger.append(LedgerEntry(event: e, attempt: e.attempts + 1, outcome: .parked, metaMessage: "no access token")) }
            return result
        }
        if let pause = try await redis.run({ [control] in try control.pauseState(pixel: pixelID, connection: $0) }) {
            if let remaining = pause.remainingMs {
                let due = Self.ms(now) + Int64(remaining)
                result.schedule += valid.map { ($0, due) }
            } else {
                result.park += valid
                for e in valid { result.ledger.append(LedgerEntry(event: e, attempt: e.attempts + 1, outcome: .parked, metaMessage: pause.reason)) }
            }
            return result
        }

        let burst = max(pixel.batchSize, pixel.maxEventsPerSecond)
        let requested = valid.count
        let grant = try await redis.run { [control] in
            try control.acquire(pixel: pixelID, requested: requested, ratePerSecond: pixel.maxEventsPerSecond, burst: burst, connection: $0)
        }
        if grant.granted < valid.count {
            let due = Self.ms(now) + Int64(max(grant.waitMs, 50))
            result.schedule += valid[grant.granted...].map { ($0, due) }
            Counter(label: "trackhub_dispatch_rate_limited_total").increment(by: valid.count - grant.granted)
        }
        var toSend = Array(valid.prefix(grant.granted))
        var halted: Halt?
        while !toSend.isEmpty {
            let chunk = Array(toSend.prefix(max(1, min(pixel.batchSize, CAPIRequestBody.maxEventsPerRequest))))
            toSend.removeFirst(chunk.count)
            if let halted {
                halted.hold(chunk, into: &result)
                continue
            }
            let r = try await sendChunk(chunk, pixel: pixel, now: now)
            result.merge(r.result)
            halted = r.halt
        }
        return result
    }

    /// Why the rest of a pixel's events must not be sent now, and where they wait: parked until
    /// a new token (token/permission refusals), or scheduled for when a throttling pause ends.
    /// A throttle must never park: parked events only move again when a token is applied.
    enum Halt: Equatable {
        case park
        case until(dueMs: Int64)

        func hold(_ events: [OutboundEvent], into result: inout SendResult) {
            switch self {
            case .park: result.park += events
            case .until(let due): result.schedule += events.map { ($0, due) }
            }
        }
    }

    /// Sends one batch; on an invalid/expired rejection, bisects. `halt` is set when the pixel
    /// was paused (token/permission, or throttled) so the caller holds back its other batches.
    private func sendChunk(_ chunk: [OutboundEvent], pixel: DispatchConfig.Pixel, now: Date) async throws
        -> (result: SendResult, halt: Halt?)
    {
        var result = SendResult()
        let body: Data
        do {
            body = try CAPIRequestBody(events: chunk.map { Data($0.eventJSON.utf8) },
                                       testEventCode: pixel.mode == .test ? pixel.testEventCode : nil).jsonData()
        } catch {
            for e in chunk { result.deadLetter(e, reason: .validation, detail: "request body: \(error)", attempt: e.attempts + 1) }
            return (result, nil)
        }
        let requestID = UUID().uuidString.lowercased()
        let url = "\(configuration.graphBaseURL)/\(configuration.graphVersion)/\(pixel.id)/events?access_token=\(Self.queryEncode(pixel.accessToken))"
        let outcome = await http.post(url: url, body: Array(body), headers: ["Content-Type: application/json"],
                                      timeout: configuration.timeout, connectTimeout: configuration.connectTimeout)
        let latencyMs = Int(outcome.latency.wholeMilliseconds)
        Timer(label: "trackhub_capi_request_duration_seconds").recordNanoseconds(Int64(latencyMs) * 1_000_000)
        Recorder(label: "trackhub_capi_batch_size").record(chunk.count)
        let classified = MetaResponseClassifier.classify(Self.transport(outcome))

        switch classified {
        case .accepted(_, let fbtrace):
            // Sale events (Purchase, refunds…) get their own `info` line: they are what an
            // operator traces (docs/OPERATIONS.md). Funnel events (clicks, page events) are
            // summed up in one `batch sent` line per request, their own lines at `debug`: at
            // campaign peaks thousands of lines a second would cost CPU and overrun journald's
            // rate limit, which drops lines — sale lines included. The ledger has every event.
            var funnel = 0
            for e in chunk {
                result.ledger.append(LedgerEntry(event: e, attempt: e.attempts + 1, outcome: .sent, requestID: requestID,
                                                 httpStatus: outcome.status, fbtraceID: fbtrace, latencyMs: latencyMs))
                result.finished.append(e)
                let level: Logger.Level = e.conversionID == nil ? .debug : .info
                if e.conversionID == nil { funnel += 1 }
                logger.log(level: level, "event sent", metadata: eventMetadata(e, outcome: "sent", attempt: e.attempts + 1).merging(
                    [LogKey.fbtraceID: "\(fbtrace ?? "-")", LogKey.httpStatus: "\(outcome.status ?? 0)", LogKey.requestID: "\(requestID)"]) { a, _ in a })
            }
            logger.info("batch sent", metadata: [
                LogKey.pixel: "\(pixel.id)", LogKey.events: "\(chunk.count)", LogKey.funnelEvents: "\(funnel)", LogKey.saleEvents: "\(chunk.count - funnel)",
                LogKey.fbtraceID: "\(fbtrace ?? "-")", LogKey.httpStatus: "\(outcome.status ?? 0)", LogKey.requestID: "\(requestID)",
                LogKey.latencyMs: "\(latencyMs)",
            ])
            Counter(label: "trackhub_dispatch_events_total", dimensions: [("outcome", "sent")]).increment(by: chunk.count)
            return (result, nil)

        case .failed(let failure):
            var meta: Logger.Metadata = [
                LogKey.pixel: "\(pixel.id)", LogKey.failureClass: "\(failure.class.rawValue)", LogKey.httpStatus: "\(failure.httpStatus ?? 0)",
                LogKey.metaCode: "\(failure.code ?? 0)", LogKey.metaSubcode: "\(failure.subcode ?? 0)", LogKey.batch: "\(chunk.count)",
                LogKey.requestID: "\(requestID)", LogKey.metaMessage: "\(failure.message)",
            ]
            if let t = failure.fbtraceID { meta[LogKey.fbtraceID] = "\(t)" }
            switch failure.class {
            case .invalid, .expired:
                switch BatchSplitter.split(chunk) {
                case .empty:
                    return (result, nil)
                case .culprit(let e):
                    logger.warning("event rejected by meta", metadata: meta.merging(eventMetadata(e, outcome: "dead_lettered")) { a, _ in a })
                    result.deadLetter(e, reason: failure.class == .expired ? .expired : .invalid, detail: failure.message,
                                      attempt: e.attempts + 1, failure: failure, requestID: requestID, latencyMs: latencyMs)
                    Counter(label: "trackhub_dispatch_events_total", dimensions: [("outcome", "dead_lettered")]).increment()
                    return (result, nil)
                case .split(let first, let second):
                    logger.notice("batch rejected; splitting to isolate invalid events", metadata: meta)
                    for e in chunk {
                        result.ledger.append(LedgerEntry(event: e, attempt: e.attempts + 1, outcome: .batchRejected, requestID: requestID,
                                                         httpStatus: failure.httpStatus, metaCode: failure.code, metaSubcode: failure.subcode,
                                                         metaMessage: failure.message, fbtraceID: failure.fbtraceID, latencyMs: latencyMs,
                                                         includePayload: false))
                    }
                    let bump = { (list: [OutboundEvent]) in list.map { var x = $0; x.attempts += 1; return x } }
                    let a = try await sendChunk(bump(first), pixel: pixel, now: now)
                    result.merge(a.result)
                    if let halt = a.halt {
                        halt.hold(bump(second), into: &result)
                        return (result, halt)
                    }
                    let b = try await sendChunk(bump(second), pixel: pixel, now: now)
                    result.merge(b.result)
                    return (result, b.halt)
                }

            case .token, .permission:
                // Names the refused token (fingerprint) so a worker holding a newer one releases the pause.
                let reason = "\(failure.class.rawValue): \(failure.message) \(PixelControl.tokenMarker(pixel.accessToken))"
                try await redis.run { [control, pixelID = pixel.id] in
                    try control.pause(pixel: pixelID, reason: reason, duration: nil, connection: $0)
                }
                logger.error("pixel paused: meta refused its token or permissions; events kept until a new token is applied",
                             metadata: meta.merging([LogKey.alert: "pixel_token"]) { a, _ in a })
                Counter(label: "trackhub_alerts_total", dimensions: [("kind", "pixel_token")]).increment()
                result.park += chunk
                for e in chunk {
                    result.ledger.append(LedgerEntry(event: e, attempt: e.attempts + 1, outcome: .parked, requestID: requestID,
                                                     httpStatus: failure.httpStatus, metaCode: failure.code, metaSubcode: failure.subcode,
                                                     metaMessage: failure.message, fbtraceID: failure.fbtraceID, latencyMs: latencyMs,
                                                     includePayload: false))
                }
                return (result, .park)

            case .throttled:
                let pause = configuration.throttlePause
                try await redis.run { [control, pixelID = pixel.id] in
                    try control.pause(pixel: pixelID, reason: "throttled: \(failure.message)", duration: pause, connection: $0)
                }
                logger.warning("pixel throttled by meta; paused for every instance", metadata: meta)
                let due = Self.ms(now) + pause.wholeMilliseconds
                for e in chunk { retry(e, failure: failure, requestID: requestID, latencyMs: latencyMs, now: now, forcedDue: due, into: &result) }
                return (result, .until(dueMs: due))

            case .transient:
                logger.warning("capi request failed; retrying with backoff", metadata: meta)
                for e in chunk { retry(e, failure: failure, requestID: requestID, latencyMs: latencyMs, now: now, forcedDue: nil, into: &result) }
                return (result, nil)
            }
        }
    }

    /// Schedules another attempt, or dead-letters when attempts or Meta's window run out.
    private func retry(_ e: OutboundEvent, failure: MetaFailure, requestID: String, latencyMs: Int, now: Date,
                       forcedDue: Int64?, into result: inout SendResult) {
        var next = e
        next.attempts += 1
        let eventDate = Date(timeIntervalSince1970: Double(e.eventTime))
        guard let at = configuration.retryPolicy.nextAttemptTime(attempt: next.attempts, now: now, eventTime: eventDate) else {
            let expired = now.timeIntervalSince(eventDate) > 6 * 24 * 3600
            result.deadLetter(e, reason: expired ? .expired : .retriesExhausted,
                              detail: "\(failure.class.rawValue) after \(next.attempts) attempts: \(failure.message)",
                              attempt: next.attempts, failure: failure, requestID: requestID, latencyMs: latencyMs)
            Counter(label: "trackhub_dispatch_events_total", dimensions: [("outcome", "dead_lettered")]).increment()
            return
        }
        let due = max(forcedDue ?? 0, Self.ms(at))
        result.schedule.append((next, due))
        result.ledger.append(LedgerEntry(event: e, attempt: next.attempts, outcome: .retryScheduled, requestID: requestID,
                                         httpStatus: failure.httpStatus, metaCode: failure.code, metaSubcode: failure.subcode,
                                         metaMessage: failure.message, fbtraceID: failure.fbtraceID, latencyMs: latencyMs,
                                         includePayload: false))
        Counter(label: "trackhub_dispatch_retries_total").increment()
    }

    func eventMetadata(_ e: OutboundEvent, outcome: String, attempt: Int? = nil) -> Logger.Metadata {
        var m: Logger.Metadata = [LogKey.eventID: "\(e.eventID)", LogKey.eventName: "\(e.eventName)", LogKey.pixel: "\(e.pixel)",
                                  LogKey.envelopeID: "\(e.envelopeID)", LogKey.outcome: "\(outcome)"]
        if let attempt { m[LogKey.attempt] = "\(attempt)" }
        return m
    }

    /// Meta's window minus the safety margin, in seconds.
    static func maxAgeSeconds(_ v: CAPIEventValidator) -> Int64 {
        (v.maxEventAge - v.expiryMargin).components.seconds
    }

    static func ms(_ d: Date) -> Int64 { Int64(d.timeIntervalSince1970 * 1000) }

    static func transport(_ o: HTTPOutcome) -> MetaTransportOutcome {
        switch o {
        case .response(let status, let body, _): return .response(status: status, body: Data(body))
        case .failure(let kind, let message, _):
            switch kind {
            case .timeout: return .transportError(kind: .timeout, message: message)
            case .connect, .tls: return .transportError(kind: .connect, message: message)
            default: return .transportError(kind: .other, message: message)
            }
        }
    }

    static func queryEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
