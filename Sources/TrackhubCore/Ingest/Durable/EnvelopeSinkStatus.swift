/// The health of an ``EnvelopeSink``, as `/readyz` reports it.
public struct EnvelopeSinkStatus: Sendable, Equatable {
    /// Redis takes appends right now.
    public var redisConnected: Bool
    /// Envelopes in the local spool, waiting for Redis.
    public var spoolPending: Int
    /// The spool can take appends (false after a failed spool write).
    public var spoolUsable: Bool

    public init(redisConnected: Bool, spoolPending: Int, spoolUsable: Bool) {
        self.redisConnected = redisConnected
        self.spoolPending = spoolPending
        self.spoolUsable = spoolUsable
    }
}
