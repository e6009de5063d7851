/// Where ingestd's routes make an accepted envelope durable before they answer 2xx/302.
///
/// A seam for testing the HTTP edge without Redis: the real sink is ``DurableAppender``
/// (group-committed XADDs, spool fallback); tests pass an in-memory one that records what the
/// routes appended. Both keep the rule the routes rely on: `append` returns only once the
/// envelope is durable, and throws when nothing could take it (the client then gets a 503).
public protocol EnvelopeSink: Sendable {
    /// Makes `payload` (an encoded ``Envelope``) durable on `stream` and returns where.
    func append(stream: String, payload: [UInt8]) async throws -> AppendDurability

    /// What `/readyz` and systemd's readiness report about the sink.
    var status: EnvelopeSinkStatus { get }
}
