/// A batch of stream entries after the first, pure stage (``EnvelopeInterpreter/decode(_:config:)``):
/// the envelopes that decoded and whose user data opened, their hashed user data, and dead
/// letters for the rest.
public struct DecodedBatch: Sendable {
    /// Envelopes to store and interpret, in stream order.
    public var envelopes: [Envelope] = []
    /// Hashed user data by envelope id (in memory only).
    public var hashed: [String: HashedUserData] = [:]
    /// Identifiers given but dropped as invalid, by envelope id (for the ledger note).
    public var dropped: [String: [HashedUserData.Key]] = [:]
    /// Entries without a payload, that do not decode, or whose user data cannot be opened.
    public var deadLetters: [DeadLetter] = []

    public init() {}

    /// The webhooks of the batch (stored in the inbox, then turned into sales).
    public var webhooks: [Envelope] { envelopes.filter { $0.kind == .webhook } }
    /// Click ids that `/track` events of the batch point at.
    public var clickIDs: [String] { envelopes.compactMap { $0.track?.clickId } }
}
