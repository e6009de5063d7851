public import Foundation

/// The sales side as the pipeline calls it: webhooks of a batch in, sale events out; held
/// events rechecked for their late click. ``SalesProcessor`` in production; unit tests of
/// the pipeline run without one (webhooks are then only stored) or with a stand-in.
public protocol SalesStage: Sendable {
    /// How soon a held sale is first rechecked.
    var lateClickRecheck: Duration { get }
    /// How old a click may be for a later event to be tied to it.
    var attributionWindow: TimeInterval { get }
    func process(_ webhooks: [Envelope], config: DispatchConfig) async throws -> SalesProcessor.Outcome
    func recheckHeld(_ events: [OutboundEvent]) async throws -> SalesProcessor.HeldRecheck
}

extension SalesProcessor: SalesStage {
    public var lateClickRecheck: Duration { configuration.lateClickRecheck }
    public var attributionWindow: TimeInterval { configuration.attributionWindow }

    public func recheckHeld(_ events: [OutboundEvent]) async throws -> HeldRecheck {
        try await recheckHeld(events, now: Date())
    }
}
