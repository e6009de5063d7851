/// The priority of an envelope's stream. dispatchd always reads `high` before `normal` before
/// `low`, so a sale is never stuck behind a flood of page views.
public enum StreamPriority: String, Sendable, CaseIterable, Codable, Comparable {
    /// Gateway webhooks: money.
    case high
    /// Clicks and funnel events that carry identity (lead, initiate_checkout, …).
    case normal
    /// Page views and view_content.
    case low

    public static func < (a: StreamPriority, b: StreamPriority) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Every Redis key Trackhub uses, derived from one prefix so several installations (or test
/// runs) can share a Redis without colliding.
public struct StreamLayout: Sendable, Equatable {
    public let prefix: String

    public init(prefix: String = "th") { self.prefix = prefix }

    public func stream(_ priority: StreamPriority) -> String { "\(prefix):ingest:\(priority.rawValue)" }
    public var allStreams: [String] { StreamPriority.allCases.map(stream) }

    /// The dispatchd consumer group name on every ingest stream.
    public var consumerGroup: String { "dispatchd" }
    /// Dead-lettered envelopes and events, with their reason.
    public var deadLetterStream: String { "\(prefix):dlq" }
    /// Sorted set of events waiting for a retry, scored by due time (ms).
    public var retrySchedule: String { "\(prefix):retry" }
    /// Hash of retry payloads keyed by retry id.
    public var retryPayloads: String { "\(prefix):retry:payloads" }
    /// The published ingest configuration snapshot (JSON) and its version.
    public var configSnapshot: String { "\(prefix):config:snapshot" }
    public var configVersion: String { "\(prefix):config:version" }
    /// Per-pixel token buckets and pauses.
    public func tokenBucket(pixel: String) -> String { "\(prefix):bucket:\(pixel)" }
    public func pixelPause(pixel: String) -> String { "\(prefix):pause:\(pixel)" }
    /// When ingestd last accepted and last refused a delivery for one gateway account (``WebhookTrace``).
    public func webhookTrace(gateway: String, account: String) -> String { "\(prefix):webhook:trace:\(gateway):\(account)" }
}
