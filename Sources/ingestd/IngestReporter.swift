import Foundation
import Logging
import ServiceLifecycle
import TrackhubCore

/// Every ``interval``, writes this ingestd's report (spool, Redis connection) and the webhook
/// refusals counted since the last one to Redis, where dispatchd's alert rules read them
/// (`ingest_spooling`, `webhook_auth_failures`; docs/ALERTS.md).
///
/// Runs on the snapshot poller's ``RedisClient`` thread, never on the request path: while Redis is
/// away the report simply goes stale (which is what the rule alerts on) and the refusals wait in
/// the ``WebhookRejectionTally`` for the next write.
struct IngestReporter: Service {
    static let interval = Duration.seconds(5)

    let instance: String
    let sink: any EnvelopeSink
    let tally: WebhookRejectionTally
    let redis: RedisClient
    let keys: AlertRedisKeys
    let logger: Logger

    func run() async throws {
        // Ends with graceful shutdown: the sleep throws once the task is cancelled.
        try? await cancelWhenGracefulShutdown {
            var failing = false
            while !Task.isCancelled {
                // Sleep first: at start the writer is still connecting, and a report of that
                // moment ("Redis not connected") would fire and resolve an alert for nothing.
                try await Task.sleep(for: Self.interval)
                let ok = await reportOnce()
                if ok == failing {
                    failing = !ok
                    if ok { logger.notice("ingest report written again") } else { logger.warning("ingest report not written; retrying") }
                }
            }
        }
    }

    /// Writes the report and the pending refusals in one pipeline; true when Redis took them.
    func reportOnce(now: Date = Date()) async -> Bool {
        let status = sink.status
        let report = AlertFacts.IngestInstance(instance: instance, spoolPending: status.spoolPending,
                                               redisConnected: status.redisConnected, reportedAt: now)
        let taken = tally.take()
        let commands = IngestReportCommands.report(report, keys: keys)
            + taken.flatMap { IngestReportCommands.rejections($0.counts, minute: $0.minute, keys: keys) }
        do {
            let replies = try await redis.run { connection in
                try connection.pipeline(commands.map { $0.map { Array($0.utf8) } })
            }
            if let refused = replies.first(where: { $0.errorMessage != nil }) {
                throw RedisError(.server, refused.errorMessage ?? "error reply")
            }
            return true
        } catch {
            tally.putBack(taken)
            logger.debug("ingest report failed", metadata: [LogKey.error: "\(error)"])
            return false
        }
    }
}
