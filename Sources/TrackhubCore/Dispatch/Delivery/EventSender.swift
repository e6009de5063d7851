public import Foundation
public import Logging
import Metrics

/// Sends one pixel's events to the Conversions API: the imperative shell around
/// ``DeliveryPlanner`` (expired, dry run, no token, paused, rate limit, requests) and
/// ``OutcomeDecider`` (what Meta's answer means for each event). Its I/O goes through a
/// ``PixelGate`` and a ``CAPITransport``; it logs and counts what the decisions say.
///
/// One invalid event makes Meta reject the whole batch, so a rejected batch is bisected until
/// the bad events are isolated; the others are sent. A pause (token refused, throttled) halts
/// the pixel's remaining requests for this round.
///
/// Every request's events are written to the ledger as `in_flight` (``AttemptJournal``) before
/// it is POSTed, so a worker killed mid-send leaves a row for whatever Meta may have received.
/// When that write fails the request is not sent: its events and the pixel's remaining ones
/// are scheduled a few seconds later (the requests already sent keep their outcomes).
public struct EventSender: Sendable {
    public struct Configuration: Sendable {
        /// e.g. `https://graph.facebook.com` (tests point it at a fake server).
        public var graphBaseURL: String
        public var graphVersion: String
        public var timeout: Duration
        public var connectTimeout: Duration
        public var retryPolicy: RetryPolicy
        /// How long a throttled pixel pauses for every instance, throttle after throttle.
        public var throttle: ThrottleBackoff

        public init(graphBaseURL: String = "https://graph.facebook.com", graphVersion: String = "v25.0",
                    timeout: Duration = .milliseconds(1500), connectTimeout: Duration = .seconds(1),
                    retryPolicy: RetryPolicy = RetryPolicy(), throttle: ThrottleBackoff = ThrottleBackoff()) {
            self.graphBaseURL = graphBaseURL
            self.graphVersion = graphVersion
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.retryPolicy = retryPolicy
            self.throttle = throttle
        }
    }

    public let transport: any CAPITransport
    public let gate: any PixelGate
    public let journal: any AttemptJournal
    public let planner: DeliveryPlanner
    public let decider: OutcomeDecider
    public let logger: Logger

    /// How long a request whose `in_flight` rows could not be written waits before another try.
    public static let journalRetryDelayMs: Int64 = 5_000

    public init(transport: any CAPITransport, gate: any PixelGate, journal: any AttemptJournal, planner: DeliveryPlanner = DeliveryPlanner(),
                decider: OutcomeDecider = OutcomeDecider(), logger: Logger) {
        self.transport = transport
        self.gate = gate
        self.journal = journal
        self.planner = planner
        self.decider = decider
        self.logger = logger
    }

    /// The production sender: libcurl to the Graph API, the pixel gate in Redis, the in-flight
    /// rows in Postgres.
    public init(configuration: Configuration, http: CurlClientPool, redis: RedisClient, layout: StreamLayout, postgres: PostgresPool,
                logger: Logger) {
        self.init(transport: CurlCAPITransport(http: http, graphBaseURL: configuration.graphBaseURL, graphVersion: configuration.graphVersion,
                                               timeout: configuration.timeout, connectTimeout: configuration.connectTimeout),
                  gate: RedisPixelGate(redis: redis, layout: layout),
                  journal: PostgresDispatchStorage(postgres: postgres),
                  decider: OutcomeDecider(retryPolicy: configuration.retryPolicy, throttle: configuration.throttle),
                  logger: logger)
    }

    /// Rate-limits and sends `events` (all of `pixel`; validated when they were built).
    public func send(_ events: [OutboundEvent], pixel: DispatchConfig.Pixel, now: Date = Date()) async throws -> SendResult {
        let triage = planner.triage(events, pixel: pixel, now: now)
        var result = triage.result
        switch triage.disposition {
        case .dryRun:
            for e in triage.events { logger.info("event recorded (dry run)", metadata: eventMetadata(e, outcome: "dry_run")) }
            Counter(label: "trackhub_dispatch_events_total", dimensions: [("outcome", "dry_run")]).increment(by: triage.events.count)
            return result
        case .noToken:
            logger.error("pixel has no usable access token; events kept until one is applied",
                         metadata: [LogKey.pixel: "\(pixel.id)", LogKey.alert: "pixel_token"])
            return result
        case .send:
            break
        }
        let valid = triage.events
        guard !valid.isEmpty else { return result }
        if let pause = try await gate.pauseState(pixel: pixel.id) {
            result.merge(planner.whilePaused(valid, pause: pause, now: now))
            return result
        }
        let grant = try await gate.acquire(pixel: pixel.id, requested: valid.count, ratePerSecond: pixel.maxEventsPerSecond,
                                           burst: planner.burst(for: pixel))
        let plan = planner.afterGrant(valid, grant: grant, batchSize: pixel.batchSize, now: now)
        result.merge(plan.result)
        if plan.rateLimited > 0 { Counter(label: "trackhub_dispatch_rate_limited_total").increment(by: plan.rateLimited) }
        var halted: DeliveryHalt?
        for request in plan.requests {
            if let halted {
                halted.hold(request, into: &result)
                continue
            }
            let r = try await deliver(request, pixel: pixel, now: now)
            result.merge(r.result)
            halted = r.halt
        }
        return result
    }

    /// Sends one request and acts on the decision; a rejected request with several events is
    /// bisected and each half delivered in turn (a halt in the first holds the second).
    func deliver(_ chunk: [OutboundEvent], pixel: DispatchConfig.Pixel, now: Date) async throws
        -> (result: SendResult, halt: DeliveryHalt?)
    {
        var result = SendResult()
        let payloads: [Data]
        let body: Data
        do {
            payloads = try chunk.map { try $0.eventJSON() }
            body = try CAPIRequestBody(events: payloads, testEventCode: pixel.mode == .test ? pixel.testEventCode : nil).jsonData()
        } catch {
            for e in chunk { result.deadLetter(e, reason: .validation, detail: "request body: \(error)", attempt: e.attempts + 1) }
            return (result, nil)
        }
        let requestID = UUID().uuidString.lowercased()
        if let wait = await openAttempt(chunk, requestID: requestID, pixel: pixel) {
            wait.hold(chunk, into: &result)
            return (result, wait)
        }
        let response = await transport.post(CAPIRequest(pixel: pixel.id, accessToken: pixel.accessToken, body: Array(body)))
        let latencyMs = Int(response.latency.wholeMilliseconds)
        Timer(label: "trackhub_capi_request_duration_seconds").recordNanoseconds(Int64(latencyMs) * 1_000_000)
        Recorder(label: "trackhub_capi_batch_size").record(chunk.count)
        let outcome = MetaResponseClassifier.classify(response.outcome)
        var strike = 1
        if case .failed(let failure) = outcome, failure.class == .throttled {
            strike = try await gate.recordThrottle(pixel: pixel.id)
        }
        let attempt = OutcomeDecider.Attempt(requestID: requestID, latencyMs: latencyMs, httpStatus: response.httpStatus, now: now,
                                             accessToken: pixel.accessToken,
                                             payloads: payloads.map { String(decoding: $0, as: UTF8.self) },
                                             throttleStrike: strike, throttleHint: response.throttleHint)
        var random = SystemRandomNumberGenerator()
        let decision = decider.decide(chunk, outcome: outcome, attempt: attempt, random: &random)
        if let pause = decision.pause {
            try await gate.pause(pixel: pixel.id, reason: pause.reason, duration: pause.duration)
        }
        log(decision, chunk: chunk, pixel: pixel, attempt: attempt)
        result.merge(decision.result)
        guard case .bisect(let first, let second, _) = decision.verdict else { return (result, decision.halt) }
        let a = try await deliver(first, pixel: pixel, now: now)
        result.merge(a.result)
        if let halt = a.halt {
            halt.hold(second, into: &result)
            return (result, halt)
        }
        let b = try await deliver(second, pixel: pixel, now: now)
        result.merge(b.result)
        return (result, b.halt)
    }

    /// Writes the request's `in_flight` rows. nil: send it. A halt: the rows could not be
    /// stored, so neither this request nor the pixel's next ones may leave now. Rows Postgres
    /// refuses for their data do not stop the send (the outcome rows are isolated later,
    /// ``OutcomeRecorder``): the event was built and validated, and holding it would lose it.
    private func openAttempt(_ chunk: [OutboundEvent], requestID: String, pixel: DispatchConfig.Pixel) async -> DeliveryHalt? {
        do {
            try await journal.recordInFlight(LedgerEntry.inFlight(chunk, requestID: requestID))
            return nil
        } catch let error as PostgresError where error.isDataRefusal {
            logger.warning("in-flight rows refused by postgres; sending without them",
                           metadata: [LogKey.pixel: "\(pixel.id)", LogKey.count: "\(chunk.count)", LogKey.error: "\(error)"])
            return nil
        } catch {
            logger.warning("in-flight rows not stored; the request waits",
                           metadata: [LogKey.pixel: "\(pixel.id)", LogKey.count: "\(chunk.count)", LogKey.error: "\(error)"])
            Counter(label: "trackhub_dispatch_journal_failures_total").increment()
            return .until(dueMs: DeliveryPlanner.ms(Date()) + Self.journalRetryDelayMs)
        }
    }
}
