public import Foundation
public import Logging
public import ServiceLifecycle
import Metrics

/// Relays queued bot updates to the bots' own backends (`settings.forward_url`), byte for byte
/// as Telegram posted them, with `Content-Type: application/json` and nothing of Trackhub's
/// (no secret token, no header of ours beyond curl's user agent).
///
/// Runs in every dispatchd instance, apart from the consumer and Meta: an update is queued by
/// the pipeline as soon as its batch is read (``SalesProcessor``), so a Meta outage or a slow
/// pixel never holds the bot up, and a slow or dead backend never holds up Meta. Each round
/// claims due jobs (the oldest waiting update of each chat, leased), posts them concurrently,
/// and settles each one by ``TelegramForwardDecision``: delivered, retried with backoff, or
/// dead-lettered (Postgres `dead_letters` and the DLQ stream, reason `telegram_forward`,
/// replayable). Every attempt is a log line and `trackhub_telegram_forwards_total{outcome}`.
public final class TelegramForwardService: Service, Sendable {
    public struct Configuration: Sendable {
        /// Longest wait for the backend's answer.
        public var timeout: Duration
        public var connectTimeout: Duration
        /// Jobs (so chats) posted at once per round.
        public var batch: Int
        /// Pause when nothing is due.
        public var interval: Duration
        /// http:// forward URLs to a loopback host (tests, the fault suite), as ``OutboundURLRule``.
        public var allowLoopbackHTTP: Bool
        public var decision: TelegramForwardDecision

        public init(timeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(5), batch: Int = 32,
                    interval: Duration = .milliseconds(200), allowLoopbackHTTP: Bool = false,
                    decision: TelegramForwardDecision = TelegramForwardDecision()) {
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.batch = batch
            self.interval = interval
            self.allowLoopbackHTTP = allowLoopbackHTTP
            self.decision = decision
        }

        /// A claim outlives the request and its settling: four timeouts, at least 20 s.
        var lease: Duration { max(.seconds(20), timeout * 4) }
    }

    private let configuration: Configuration
    private let queue: any TelegramForwardQueue
    private let configs: ConfigHolder
    private let keys: KeyRing
    private let http: CurlClientPool
    private let deadLetters: @Sendable ([DeadLetter]) async throws -> Void
    private let logger: Logger

    /// - Parameter deadLetters: stores dead letters durably (Postgres, then the DLQ stream)
    ///   before the job leaves the queue.
    public init(configuration: Configuration, queue: any TelegramForwardQueue, configs: ConfigHolder, keys: KeyRing,
                http: CurlClientPool, deadLetters: @escaping @Sendable ([DeadLetter]) async throws -> Void, logger: Logger) {
        self.configuration = configuration
        self.queue = queue
        self.configs = configs
        self.keys = keys
        self.http = http
        self.deadLetters = deadLetters
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let jobs = try await queue.claim(limit: configuration.batch, lease: configuration.lease)
                if jobs.isEmpty {
                    try? await Task.sleep(for: configuration.interval)
                    continue
                }
                let config = try await configs.config()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for job in jobs { group.addTask { try await self.forward(job, config: config) } }
                    try await group.waitForAll()
                }
            } catch {
                logger.warning("telegram forward round failed; claimed updates return to the queue", metadata: [LogKey.error: "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// One attempt for one job, settled in the queue.
    func forward(_ job: TelegramForward, config: DispatchConfig) async throws {
        var job = job
        job.attempts += 1
        var meta: Logger.Metadata = [
            LogKey.account: "\(job.bot)", LogKey.tenant: "\(job.tenant)", LogKey.telegramUpdateID: "\(job.updateID)",
            LogKey.envelopeID: "\(job.envelopeID)", LogKey.attempt: "\(job.attempts)",
        ]
        let account = config.gatewayAccount(gateway: Gateway.telegram.rawValue, account: job.bot)
        let url = account.flatMap { TelegramBotSettings($0.settings).forwardURL }
        if let problem = TelegramForwardDecision.urlProblem(url, allowLoopbackHTTP: configuration.allowLoopbackHTTP) {
            return try await deadLetter(job, reason: problem, meta: meta)
        }
        guard let url else { return }
        if let host = URLComponents(string: url)?.host { meta[LogKey.forwardHost] = "\(host)" }
        let body: [UInt8]
        do {
            body = Array(try keys.open(job.body, for: .webhookBody(tenant: job.tenant, envelope: job.envelopeID)))
        } catch {
            return try await deadLetter(job, reason: "the update body cannot be opened: \(error)", meta: meta)
        }
        let outcome = await http.post(url: url, body: body, headers: ["Content-Type: application/json"],
                                      timeout: configuration.timeout, connectTimeout: configuration.connectTimeout)
        meta[LogKey.latencyMs] = "\(outcome.latency.wholeMilliseconds)"
        if let status = outcome.status { meta[LogKey.httpStatus] = "\(status)" }
        var random = SystemRandomNumberGenerator()
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        switch configuration.decision.decide(outcome, attempt: job.attempts, nowMs: nowMs, random: &random) {
        case .delivered:
            try await queue.complete(job)
            logger.info("telegram update forwarded", metadata: meta)
            count("delivered")
        case .retry(let atMs, let reason):
            try await queue.retry(job, atMs: atMs)
            meta[LogKey.reason] = "\(reason)"
            meta[LogKey.retryInMs] = "\(max(0, atMs - nowMs))"
            logger.warning("telegram update forward failed; will retry", metadata: meta)
            count("retry")
        case .deadLetter(let reason):
            try await deadLetter(job, reason: reason, meta: meta)
        }
    }

    private func deadLetter(_ job: TelegramForward, reason: String, meta: Logger.Metadata) async throws {
        let letter = DeadLetter(reason: .telegramForward, detail: "telegram update \(job.updateID) of bot \(job.bot) not forwarded: \(reason)",
                                envelopeID: job.envelopeID, payload: try job.json())
        try await deadLetters([letter])
        try await queue.remove(job)
        var meta = meta
        meta[LogKey.reason] = "\(reason)"
        logger.error("telegram update forward dead-lettered", metadata: meta)
        count("dead_lettered")
    }

    private func count(_ outcome: String) {
        Counter(label: "trackhub_telegram_forwards_total", dimensions: [("outcome", outcome)]).increment()
    }
}
