import Foundation
import Logging
import TrackhubCore

/// Everything a route needs, built once by the composition root.
struct IngestDependencies: Sendable {
    let sink: any EnvelopeSink
    let snapshots: any SnapshotSource
    let layout: StreamLayout
    let keys: KeyRing
    let trustedProxies: ClientIPResolver
    let maxBodyBytes: Int
    let maxWebhookBytes: Int
    let stripeTolerance: TimeInterval
    let cookieDomain: String?
    let cookieSecure: Bool
    /// What a click keeps of its query (``ClickParameters``).
    let clickLimits: ClickParameters.Limits
    /// Which query parameters of page URLs and referrers are kept.
    let urlQueryAllowList: URLQueryAllowList
    /// Traces each webhook's authentication outcome for the console's setup assistant.
    let webhookTrace: WebhookTraceRecorder?
    /// Counts refused webhooks for the `webhook_auth_failures` alert (``IngestReporter``).
    let rejections: WebhookRejectionTally
    let logger: Logger

    /// Appends an envelope, mapping "neither Redis nor the spool could take it" to a 503, and
    /// load shed on purpose (spool full, Redis memory high) to a 503 `overloaded` with `Retry-After`.
    func append(_ envelope: Envelope, priority: StreamPriority) async throws -> AppendDurability {
        let payload = try envelope.encoded()
        do {
            return try await sink.append(stream: layout.stream(priority), payload: payload)
        } catch let error as DurableAppender.AppendError where error.isBackpressure {
            // Counted by the appender (trackhub_ingest_backpressure_refused_total); one line per
            // refusal would flood the journal during exactly the flood it refuses.
            throw Problem.overloaded(error.reason)
        } catch {
            logger.error("envelope not stored", metadata: [LogKey.envelopeID: "\(envelope.id)", LogKey.error: "\(error)"])
            throw Problem.unavailable
        }
    }
}
