import Foundation
public import Logging
import Metrics
public import ServiceLifecycle
import Synchronization

/// Where an accepted envelope was made durable.
public enum AppendDurability: Sendable, Equatable {
    /// Acknowledged by Redis with this stream entry id.
    case redis(id: String)
    /// Fsynced to the local spool; it reaches Redis when Redis is back.
    case spool
}

/// The ingest edge's single writer: group-commits the XADDs of concurrent requests into one
/// pipelined round trip on a dedicated thread, and falls back to the fsynced ``Spool`` when
/// Redis is unreachable or erroring.
///
/// Two batches may be in flight: the next batch is queued on the connection before the replies
/// of the previous one are read (hiredis sends it as it starts reading), so Redis finds it in
/// its socket while it is still fsyncing the previous one (`appendfsync always`) instead of
/// idling for a round trip and a thread wake-up between batches. Replies come back in order.
///
/// A caller's `append` returns only once its envelope is durable (Redis replied, or the spool
/// was fsynced), which is the moment ingestd may answer 2xx/302. While the spool holds
/// anything, new envelopes go to the spool too, so the drain keeps their order.
///
/// A `Service` whose ``run()`` is the writer thread's life. It stays one dedicated thread rather
/// than a ``HandlePool`` call per request: group commit needs a single owner of the connection
/// that takes *every* waiting envelope into one pipelined batch, keeps two batches in flight
/// and wakes on its own to drain the spool or retry Redis; a pool serves one caller per call.
/// On graceful shutdown (after the HTTP server stopped taking requests) it writes what is
/// queued and drains the spool within ``drainBudget``.
public final class DurableAppender: EnvelopeSink, Service, @unchecked Sendable {
    // @unchecked: `queue`/`stopping`/`finished`/`finishWaiters`/`shutdownDeadline` are guarded by
    // `condition`; `redis`, `spool`, `inFlight` and `nextReconnect` are touched only by the writer
    // thread; `state` is a Mutex.

    public typealias Status = EnvelopeSinkStatus

    /// Why an envelope was not made durable, in the shape of ``PostgresError``: an opaque
    /// ``Kind`` (the request is refused with 503 either way; nothing of it is in the error).
    public struct AppendError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable, Equatable {
        /// Opaque and extensible: compare with `==`, never exhaustively.
        public struct Kind: Hashable, Sendable, CustomStringConvertible {
            private enum Base: String, Hashable, Sendable { case shuttingDown, unavailable, spoolFull, redisMemoryHigh }
            private let base: Base
            private init(_ base: Base) { self.base = base }

            /// The appender is stopping and takes no new envelope.
            public static let shuttingDown = Kind(.shuttingDown)
            /// Neither Redis nor the spool could take the envelope.
            public static let unavailable = Kind(.unavailable)
            /// Redis is away and the spool reached ``DurableAppender/spoolMaxBytes``: refused so the
            /// disk the spool shares (often with Postgres) never fills; clients retry.
            public static let spoolFull = Kind(.spoolFull)
            /// Redis' memory is above the watermark: refused before Redis itself refuses (with
            /// `maxmemory-policy noeviction`) the writes dispatchd needs to drain the backlog.
            public static let redisMemoryHigh = Kind(.redisMemoryHigh)

            public var description: String { base.rawValue }
        }

        public let kind: Kind

        init(_ kind: Kind) { self.kind = kind }

        /// The reason in words.
        public var reason: String {
            switch kind {
            case .shuttingDown: "shutting down"
            case .spoolFull: "redis unavailable and spool full"
            case .redisMemoryHigh: "redis memory above the watermark"
            default: "redis and spool unavailable"
            }
        }

        /// Load shed on purpose (spool full, Redis memory high): the client should retry later.
        public var isBackpressure: Bool { kind == .spoolFull || kind == .redisMemoryHigh }
        public var description: String { "append failed: \(reason)" }
        public var debugDescription: String { "DurableAppender.AppendError.\(kind): \(reason)" }
    }

    private struct Pending {
        let stream: String
        let payload: [UInt8]
        let continuation: CheckedContinuation<AppendDurability, any Error>
    }

    private let endpoint: RedisEndpoint
    private let maxBatch: Int
    private let logger: Logger
    private let condition = NSCondition()
    private var queue: [Pending] = []
    private var stopping = false
    private var finished = false
    private var finishWaiters: [CheckedContinuation<Void, Never>] = []
    /// How long graceful shutdown may spend writing the queue and draining the spool.
    public let drainBudget: Duration
    private var redis: RedisConnection?
    private let spool: Spool
    private var nextReconnect = ContinuousClock.now
    /// Wait before the next connection attempt; doubles while Redis stays away (see `ensureRedis`).
    private var reconnectBackoff = DurableAppender.minReconnectBackoff
    static let minReconnectBackoff = Duration.milliseconds(200)
    static let maxReconnectBackoff = Duration.seconds(3)
    /// How long Redis may take to answer a batch's replies, a new connection's PING or `INFO`
    /// before the writer gives up on it and acknowledges from the spool.
    /// It bounds what a frozen Redis adds to an answer; an append that Redis executes after the
    /// timeout is a duplicate that dispatchd drops by envelope id, never a loss.
    public let replyTimeout: Duration
    /// Largest spool file in bytes; beyond it appends are refused (``AppendError/Kind/spoolFull``).
    public let spoolMaxBytes: Int
    /// Share (percent) of Redis `maxmemory` above which appends are refused; 0 turns it off,
    /// and so does a Redis without `maxmemory`.
    public let memoryWatermarkPercent: Int
    /// How long a spool drain step may wait for Redis. Drains happen only after a new connection
    /// answered `PING` within ``replyTimeout``, so this longer wait meets a Redis that is up.
    static let drainReplyTimeout = Duration.seconds(1)
    /// How often the writer reads `INFO memory` while connected.
    static let memoryCheckInterval = Duration.seconds(1)
    private var nextMemoryCheck = ContinuousClock.now
    private let state: Mutex<Status>
    private let batchSizes = Recorder(label: "trackhub_ingest_append_batch_size")
    private let spoolDepth = Gauge(label: "trackhub_ingest_spool_depth")
    private let spooledTotal = Counter(label: "trackhub_ingest_spooled_total")
    private let redisUp = Gauge(label: "trackhub_ingest_redis_up")
    private let spoolBytes = Gauge(label: "trackhub_ingest_spool_bytes")
    private let refusedTotal = Counter(label: "trackhub_ingest_backpressure_refused_total")
    private let redisMemoryHighGauge = Gauge(label: "trackhub_ingest_redis_memory_high")

    /// - Parameters:
    ///   - endpoint: the Redis to append to.
    ///   - spoolDirectory: where the fallback spool lives (must be on a local disk).
    ///   - maxBatch: the most XADDs pipelined in one round trip.
    ///   - drainBudget: the share of the process's shutdown bound spent draining the spool.
    ///   - replyTimeout: how long Redis may take to answer before the spool takes over.
    ///   - spoolMaxBytes: the spool file's cap (appends refused beyond it).
    ///   - memoryWatermarkPercent: refuse appends above this share of Redis `maxmemory` (0: off).
    public init(endpoint: RedisEndpoint, spoolDirectory: String, maxBatch: Int = 512,
                drainBudget: Duration = .seconds(5), replyTimeout: Duration = .milliseconds(50),
                spoolMaxBytes: Int = 1 << 30, memoryWatermarkPercent: Int = 90, logger: Logger) throws {
        self.endpoint = endpoint
        self.drainBudget = drainBudget
        self.maxBatch = maxBatch
        self.replyTimeout = replyTimeout
        self.spoolMaxBytes = spoolMaxBytes
        self.memoryWatermarkPercent = memoryWatermarkPercent
        self.logger = logger
        self.spool = try Spool(directory: spoolDirectory)
        self.state = Mutex(Status(redisConnected: false, spoolPending: spool.pendingCount, spoolUsable: true,
                                  spoolBytes: spool.size, spoolFull: SpoolCap(maxBytes: spoolMaxBytes).isNearlyFull(size: spool.size)))
        if spool.pendingCount > 0 {
            logger.notice("spool holds envelopes from an earlier run", metadata: [LogKey.spoolPending: "\(spool.pendingCount)"])
        }
    }

    public var status: Status { state.withLock { $0 } }

    /// Starts the writer thread and lives until graceful shutdown; then stops taking envelopes,
    /// writes what is queued, drains the spool within ``drainBudget`` (not at all when the task
    /// was cancelled: the shutdown bound has run out) and returns once the thread has finished.
    public func run() async throws {
        let thread = Thread { [self] in
            Thread.nameCurrentOSThread("th-ingest-wr")
            self.writerLoop()
        }
        thread.start()
        let graceful = (try? await gracefulShutdown()) != nil
        await stop(drainBudget: graceful ? drainBudget : .zero)
        logger.notice("ingest writer stopped", metadata: ["spool.pending": "\(status.spoolPending)"])
    }

    /// Makes `payload` durable on `stream` and returns where. Throws only if neither Redis nor the
    /// spool could take it (then nothing was acknowledged and the client must get an error).
    public func append(stream: String, payload: [UInt8]) async throws -> AppendDurability {
        if state.withLock({ $0.redisMemoryHigh }) {
            refusedTotal.increment()
            throw AppendError(.redisMemoryHigh)
        }
        return try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            if stopping {
                condition.unlock()
                continuation.resume(throwing: AppendError(.shuttingDown))
                return
            }
            queue.append(Pending(stream: stream, payload: payload, continuation: continuation))
            condition.signal()
            condition.unlock()
        }
    }

    /// Stops taking new envelopes and returns when the writer thread has finished.
    private func stop(drainBudget: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            stopping = true
            shutdownDeadline = .now + drainBudget
            if finished {
                condition.unlock()
                continuation.resume()
                return
            }
            finishWaiters.append(continuation)
            condition.broadcast()
            condition.unlock()
        }
    }

    private var shutdownDeadline = ContinuousClock.now

    // MARK: - Writer thread

    /// Batches whose XADDs are queued or sent on `redis` and whose replies are not read yet,
    /// oldest first (writer thread only).
    private var inFlight: [[Pending]] = []
    private static let maxInFlight = 2

    private func writerLoop() {
        // Connect up front so /readyz tells the truth before the first request.
        _ = ensureRedis()
        while true {
            condition.lock()
            if queue.isEmpty && !stopping && inFlight.isEmpty {
                // Idle: wake at once if the spool can drain, soon if Redis must be retried, else in 1 s.
                let timeout: TimeInterval = spool.isEmpty ? 1.0 : (redis != nil ? 0 : 0.25)
                if timeout > 0 { _ = condition.wait(until: Date(timeIntervalSinceNow: timeout)) }
            }
            let take = inFlight.count < Self.maxInFlight ? min(queue.count, maxBatch) : 0
            let batch = Array(queue.prefix(take))
            queue.removeFirst(take)
            let stop = stopping && queue.isEmpty
            let deadline = shutdownDeadline
            condition.unlock()

            if memoryCheckDue {
                // Once a second: settle the pipeline (INFO's reply must not interleave with a
                // batch's) and read Redis' memory. Here rather than when idle, because under
                // steady traffic the writer is never idle with nothing in flight.
                while !inFlight.isEmpty { completeOldest() }
                checkMemory()
            }
            if !batch.isEmpty { send(batch) }
            // Read the oldest batch's replies when the pipeline is full or nothing new came in.
            if !inFlight.isEmpty && (batch.isEmpty || inFlight.count >= Self.maxInFlight) {
                completeOldest()
                continue
            }
            guard inFlight.isEmpty else { continue }
            drainStep()
            if stop {
                while !spool.isEmpty, ContinuousClock.now < deadline, ensureRedis() { drainStep() }
                if !spool.isEmpty {
                    logger.warning("spool not fully drained at shutdown; it drains on next start",
                                   metadata: [LogKey.spoolPending: "\(spool.pendingCount)"])
                }
                redis?.close()
                condition.lock()
                finished = true
                let waiters = finishWaiters
                finishWaiters.removeAll()
                condition.unlock()
                for waiter in waiters { waiter.resume() }
                return
            }
        }
    }

    /// Queues a batch's XADDs on the connection (or spools it when Redis can't take it).
    private func send(_ batch: [Pending]) {
        batchSizes.record(batch.count)
        guard spool.isEmpty, ensureRedis(), let connection = redis else {
            // Spooled items must follow what is still in flight (a broken connection spools that too).
            while !inFlight.isEmpty { completeOldest() }
            spoolItems(batch)
            return
        }
        do {
            for item in batch { try connection.append(Self.xadd(item.stream, item.payload)) }
            try connection.flush()
            inFlight.append(batch)
        } catch {
            // The connection broke: nothing of this batch is acknowledged; what is in flight may be in Redis.
            failInFlight(error)
            spoolItems(batch)
        }
    }

    /// Reads the replies of the oldest batch in flight and answers its callers.
    private func completeOldest() {
        guard let connection = redis, !inFlight.isEmpty else {
            failInFlight(RedisError(.connection, "connection closed"))
            return
        }
        let batch = inFlight.removeFirst()
        var replies: [RedisReply] = []
        replies.reserveCapacity(batch.count)
        do {
            for _ in batch { replies.append(try connection.readReply()) }
            var failed: [Pending] = []
            for (item, reply) in zip(batch, replies) {
                if case .string(let id) = reply {
                    item.continuation.resume(returning: .redis(id: String(decoding: id, as: UTF8.self)))
                } else {
                    failed.append(item)
                }
            }
            if !failed.isEmpty {
                logger.warning("redis refused appends; spooling", metadata: [
                    LogKey.redisError: "\(replies.compactMap(\.errorMessage).first ?? "unexpected reply")",
                    LogKey.count: "\(failed.count)",
                ])
                spoolItems(failed)
            }
        } catch {
            // The connection broke mid-pipeline: some entries may be in Redis. Spooling them all may
            // duplicate an envelope; dispatchd is idempotent on envelope id, losing one is not allowed.
            inFlight.insert(batch, at: 0)
            failInFlight(error)
        }
    }

    /// The connection broke: every batch in flight goes to the spool, in order.
    private func failInFlight(_ error: any Error) {
        markDisconnected(error)
        let batches = inFlight
        inFlight.removeAll()
        for batch in batches { spoolItems(batch) }
    }

    private func spoolItems(_ items: [Pending]) {
        let incoming = items.reduce(0) { $0 + Spool.recordSize(stream: $1.stream, payload: $1.payload) }
        if !SpoolCap(maxBytes: spoolMaxBytes).admits(size: spool.size, incoming: incoming) {
            logger.warning("spool full; requests refused", metadata: [
                LogKey.count: "\(items.count)", "spool.bytes": "\(spool.size)", "spool.max_bytes": "\(spoolMaxBytes)",
            ])
            refusedTotal.increment(by: items.count)
            state.withLock { $0.spoolFull = true }
            for item in items { item.continuation.resume(throwing: AppendError(.spoolFull)) }
            return
        }
        do {
            try spool.append(items.map { Spool.Record(stream: $0.stream, payload: $0.payload) })
            spooledTotal.increment(by: items.count)
            publishState()
            for item in items { item.continuation.resume(returning: .spool) }
        } catch {
            logger.error("spool write failed; requests refused", metadata: [LogKey.error: "\(error)"])
            state.withLock { $0.spoolUsable = false }
            for item in items { item.continuation.resume(throwing: AppendError(.unavailable)) }
        }
    }

    /// Moves one chunk of the spool into Redis, in order.
    private func drainStep() {
        guard !spool.isEmpty, ensureRedis(), let connection = redis else { return }
        do {
            let (records, end) = try spool.peek(limit: 256)
            guard !records.isEmpty else { return }
            // A timed-out drain is re-sent whole later (each record becomes a copy), and the first
            // drain after a freeze meets a Redis still catching up: it gets a longer bound.
            connection.setTimeout(max(replyTimeout, Self.drainReplyTimeout))
            defer { connection.setTimeout(replyTimeout) }
            let replies = try connection.pipeline(records.map { Self.xadd($0.stream, Array($0.payload)) })
            if let bad = replies.first(where: { if case .string = $0 { return false } else { return true } }) {
                logger.warning("redis refused spool drain", metadata: [LogKey.redisError: "\(bad.errorMessage ?? "unexpected reply")"])
                // Only what was accepted before the refusal counts; simplest safe choice is to retry later.
                redis?.close()
                redis = nil
                nextReconnect = .now + .seconds(1)
                publishState()
                return
            }
            try spool.markDrained(upTo: end, count: records.count)
            if spool.isEmpty {
                logger.notice("spool drained into redis")
            }
            publishState()
        } catch let error as RedisError {
            markDisconnected(error)
        } catch {
            logger.error("spool read failed", metadata: [LogKey.error: "\(error)"])
        }
    }

    /// A live connection, or false while Redis is away. A hung Redis (frozen, or behind a
    /// partition) still completes TCP handshakes in the kernel and then answers nothing: a new
    /// connection must answer PING within ``replyTimeout`` before it gets appends. Otherwise each
    /// attempt would block the writer — and every request waiting on it — for the full command
    /// timeout, and re-send spool records that the server executes later, once per attempt.
    /// Attempts back off from 200 ms to 3 s while Redis stays away.
    private func ensureRedis() -> Bool {
        if let r = redis, r.isOpen { return true }
        guard ContinuousClock.now >= nextReconnect else { return false }
        do {
            let connection = try RedisConnection(endpoint: endpoint, timeout: replyTimeout)
            guard case .status("PONG") = try connection.command(["PING"]) else {
                connection.close()
                throw RedisError(.connection, "PING not answered with PONG")
            }
            redis = connection
            reconnectBackoff = Self.minReconnectBackoff
            logger.notice("redis connected", metadata: [LogKey.redisEndpoint: "\(endpoint)"])
            publishState()
            return true
        } catch {
            nextReconnect = .now + reconnectBackoff
            reconnectBackoff = min(reconnectBackoff * 2, Self.maxReconnectBackoff)
            publishState()
            return false
        }
    }

    private func markDisconnected(_ error: any Error) {
        if redis != nil {
            logger.warning("redis connection lost; spooling", metadata: [LogKey.error: "\(error)"])
        }
        redis?.close()
        redis = nil
        nextReconnect = .now + reconnectBackoff
        publishState()
    }

    private func publishState() {
        let connected = redis?.isOpen ?? false
        let pending = spool.pendingCount
        let size = spool.size
        let nearlyFull = SpoolCap(maxBytes: spoolMaxBytes).isNearlyFull(size: size)
        let memoryHigh = state.withLock {
            $0.redisConnected = connected
            $0.spoolPending = pending
            $0.spoolUsable = true
            $0.spoolBytes = size
            $0.spoolFull = nearlyFull
            // A stale reading must not shed load once Redis is gone (the spool takes over).
            if !connected { $0.redisMemoryHigh = false }
            return $0.redisMemoryHigh
        }
        spoolDepth.record(pending)
        spoolBytes.record(size)
        redisUp.record(connected ? 1 : 0)
        redisMemoryHighGauge.record(memoryHigh ? 1 : 0)
    }

    /// Reads `INFO memory` at most once per ``memoryCheckInterval`` while connected and sheds
    /// load above the watermark (``RedisMemoryWatermark``).
    private var memoryCheckDue: Bool {
        memoryWatermarkPercent > 0 && ContinuousClock.now >= nextMemoryCheck && (redis?.isOpen ?? false)
    }

    private func checkMemory() {
        nextMemoryCheck = .now + Self.memoryCheckInterval
        guard let connection = redis, connection.isOpen else { return }
        do {
            guard case .string(let text) = try connection.command(["INFO", "memory"]) else { return }
            let usage = RedisMemoryUsage(info: String(decoding: text, as: UTF8.self))
            let high = RedisMemoryWatermark(percent: memoryWatermarkPercent).isAbove(usage)
            let changed = state.withLock { old -> Bool in
                defer { old.redisMemoryHigh = high }
                return old.redisMemoryHigh != high
            }
            if changed {
                if high {
                    logger.warning("redis memory above the watermark; refusing new events", metadata: [
                        "redis.used_memory": "\(usage?.used ?? 0)", "redis.maxmemory": "\(usage?.max ?? 0)",
                        "watermark.percent": "\(memoryWatermarkPercent)",
                    ])
                } else {
                    logger.notice("redis memory back under the watermark")
                }
            }
            redisMemoryHighGauge.record(high ? 1 : 0)
        } catch {
            markDisconnected(error)
        }
    }

    private static let xaddVerb = Array("XADD".utf8)
    private static let star = Array("*".utf8)
    private static let field = Array("e".utf8)

    static func xadd(_ stream: String, _ payload: [UInt8]) -> [[UInt8]] {
        [xaddVerb, Array(stream.utf8), star, field, payload]
    }
}
