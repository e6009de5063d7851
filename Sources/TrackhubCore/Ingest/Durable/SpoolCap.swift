/// The spool's size cap (`TRACKHUB_SPOOL_MAX_BYTES`), as pure decisions over sizes.
///
/// While Redis is away every accepted request is fsynced to the spool, which lives on a local
/// disk that Postgres often shares. A flood during an outage would fill that disk; beyond the
/// cap ingestd refuses with 503 + `Retry-After` instead (gateways and browsers retry), and
/// `/readyz` reports not ready a little before, so a balancer can steer traffic away.
public struct SpoolCap: Sendable, Equatable {
    /// Largest spool file, in bytes.
    public let maxBytes: Int

    public init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    /// Whether `incoming` more bytes fit in a spool file of `size` bytes.
    public func admits(size: Int, incoming: Int) -> Bool {
        size + incoming <= maxBytes
    }

    /// At or above 90% of the cap: readiness turns false before appends start failing.
    public func isNearlyFull(size: Int) -> Bool {
        size >= maxBytes - maxBytes / 10
    }
}
