public import Foundation

/// The Redis commands with which ingestd reports what two alert rules watch, written in the keys
/// ``AlertFactGatherer`` reads (``AlertRedisKeys``): its spool and Redis connection
/// (`ingest_spooling`) and the webhooks it refused per account and minute (`webhook_auth_failures`).
/// ingestd has no database, so Redis is the one place both sides share; the values are counts and
/// flags only (never a body, a secret or a presented signature).
public enum IngestReportCommands {
    /// A report key outlives its instance by a day: an ingestd that stopped reporting raises the
    /// alert (its report goes stale) for that long, then a retired instance stops alerting.
    public static let reportTTLSeconds = 86_400
    /// A minute's refusals outlive the longest window the rule may count
    /// (`TRACKHUB_ALERT_WEBHOOK_AUTH_WINDOW_MINUTES` ≤ 60).
    public static let rejectionsTTLSeconds = 2 * 3_600

    /// `HSET` of the instance's report, then its `EXPIRE`.
    public static func report(_ report: AlertFacts.IngestInstance, keys: AlertRedisKeys) -> [[String]] {
        let key = keys.ingestReport(instance: report.instance)
        return [
            ["HSET", key, "spool_pending", String(report.spoolPending), "redis_connected", report.redisConnected ? "1" : "0",
             "reported_at_ms", String(Int64((report.reportedAt.timeIntervalSince1970 * 1000).rounded()))],
            ["EXPIRE", key, String(reportTTLSeconds)],
        ]
    }

    /// `HINCRBY` per account (`gateway/account`) of one minute's refusals, then the minute's `EXPIRE`.
    /// Empty when nothing was refused.
    public static func rejections(_ counts: [String: Int], minute: Int64, keys: AlertRedisKeys) -> [[String]] {
        let key = keys.webhookRejections(minute: minute)
        let increments = counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { ["HINCRBY", key, $0.key, String($0.value)] }
        return increments.isEmpty ? [] : increments + [["EXPIRE", key, String(rejectionsTTLSeconds)]]
    }

    /// The minute a refusal is counted in (Unix minutes, as the gatherer's window).
    public static func minute(of date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / 60).rounded(.down)) }
}
