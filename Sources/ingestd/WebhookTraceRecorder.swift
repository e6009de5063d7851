import Foundation
import Logging
import Synchronization
import TrackhubCore

/// Writes the ``WebhookTrace`` of each authenticated or refused delivery to Redis, so the
/// console's setup assistant can tell the seller "chegou, assinatura válida" or "a assinatura
/// não confere" while it waits for the gateway's test delivery.
///
/// Bounded so a flood of forged deliveries costs Redis almost nothing: at most one write per
/// account and outcome each ``minimumInterval`` (the table holds only accounts of the snapshot:
/// unknown accounts are answered 404 before authentication), and none for ``pauseAfterFailure``
/// after a Redis error, so a Redis outage does not slow the answers. Runs on the snapshot
/// poller's ``RedisClient`` thread, never on the cooperative pool.
final class WebhookTraceRecorder: Sendable {
    static let minimumInterval = 1.0
    static let pauseAfterFailure = 10.0

    private let redis: RedisClient
    private let layout: StreamLayout
    private let logger: Logger
    /// "gateway/account/outcome" → time of the last write; and the time writes resume after a failure.
    private let state = Mutex<(last: [String: Double], pausedUntil: Double)>(([:], 0))

    init(redis: RedisClient, layout: StreamLayout, logger: Logger) {
        self.redis = redis
        self.layout = layout
        self.logger = logger
    }

    /// Records one delivery's outcome (never throws: a trace is a hint, not the delivery).
    func record(gateway: String, account: String, outcome: WebhookAuthResult, now: Date = Date()) async {
        let time = now.timeIntervalSince1970
        let slot = "\(gateway)/\(account)/\(outcome == .ok ? "ok" : "refused")"
        let due = state.withLock { s -> Bool in
            guard time >= s.pausedUntil else { return false }
            if let last = s.last[slot], time - last < Self.minimumInterval, time >= last { return false }
            s.last[slot] = time
            return true
        }
        guard due else { return }
        let commands = WebhookTrace.recordCommands(key: layout.webhookTrace(gateway: gateway, account: account), outcome: outcome, at: time)
        do {
            _ = try await redis.run { connection in
                try connection.pipeline(commands.map { $0.map { Array($0.utf8) } })
            }
        } catch {
            state.withLock { $0.pausedUntil = time + Self.pauseAfterFailure }
            logger.warning("webhook trace not written", metadata: [LogKey.gateway: "\(gateway)", LogKey.error: "\(error)"])
        }
    }
}
