public import Foundation

/// The pure decisions before a pixel's events reach Meta, in the order the sender applies
/// them: events past Meta's window are dead-lettered before batching (one would sink the whole
/// batch); a `dry_run` pixel only records; a pixel without a usable token parks; a paused
/// pixel schedules (throttle) or parks (token); the token bucket's grant splits what is sent
/// now from what is scheduled; what is sent is cut into requests of at most the pixel's batch
/// size and Meta's per-request limit.
public struct DeliveryPlanner: Sendable {
    public var limits: MetaLimits

    public init(limits: MetaLimits = .meta) { self.limits = limits }

    /// What happens to a pixel's events before the pixel gate is asked anything.
    public struct Triage: Sendable {
        public enum Disposition: Sendable, Equatable {
            /// `sendable` go on to the gate.
            case send
            /// Recorded as `dry_run` (the pixel never sends).
            case dryRun
            /// Parked: the pixel has no usable access token.
            case noToken
        }

        public var disposition: Disposition
        /// Dead letters for expired events, and the ledger/park of a dry-run or token-less pixel.
        public var result = SendResult()
        /// The events within Meta's window, which the disposition applies to (sent on to the
        /// gate for `.send`).
        public var events: [OutboundEvent] = []
    }

    public func triage(_ events: [OutboundEvent], pixel: DispatchConfig.Pixel, now: Date) -> Triage {
        var triage = Triage(disposition: .send)
        var valid: [OutboundEvent] = []
        for e in events {
            if limits.isExpired(eventTime: e.eventTime, now: now) {
                triage.result.deadLetter(e, reason: .expired, detail: "event_time older than Meta's 7-day window", attempt: e.attempts + 1)
            } else {
                valid.append(e)
            }
        }
        triage.events = valid
        guard !valid.isEmpty else { return triage }
        if pixel.mode == .dryRun {
            triage.disposition = .dryRun
            for e in valid {
                triage.result.ledger.append(LedgerEntry(event: e, attempt: e.attempts + 1, outcome: .dryRun))
                triage.result.finished.append(e)
            }
            return triage
        }
        if pixel.accessToken.isEmpty {
            // No usable token (missing, or sealed under a key this worker lacks): keep the events.
            triage.disposition = .noToken
            triage.result.park += valid
            for e in valid {
                triage.result.ledger.append(LedgerEntry(event: e, attempt: e.attempts + 1, outcome: .parked, metaMessage: "no access token"))
            }
            return triage
        }
        return triage
    }

    /// A paused pixel's events: scheduled for the end of a throttling pause, parked (with a
    /// ledger row naming the reason) while the pause lasts until a new token.
    public func whilePaused(_ events: [OutboundEvent], pause: PixelControl.Pause, now: Date) -> SendResult {
        var result = SendResult()
        if let remaining = pause.remainingMs {
            let due = Self.ms(now) + Int64(remaining)
            result.schedule += events.map { ($0, due) }
        } else {
            result.park += events
            for e in events { result.ledger.append(LedgerEntry(event: e, attempt: e.attempts + 1, outcome: .parked, metaMessage: pause.reason)) }
        }
        return result
    }

    /// The bucket's burst for a pixel: a whole batch always fits.
    public func burst(for pixel: DispatchConfig.Pixel) -> Int { max(pixel.batchSize, pixel.maxEventsPerSecond) }

    /// After the token bucket answered: the events beyond the grant are scheduled for when the
    /// bucket refills (at least 50 ms away), the granted ones are cut into requests.
    public func afterGrant(_ events: [OutboundEvent], grant: PixelGrant, batchSize: Int, now: Date)
        -> (result: SendResult, requests: [[OutboundEvent]], rateLimited: Int)
    {
        var result = SendResult()
        let granted = max(0, min(grant.granted, events.count))
        if granted < events.count {
            let due = Self.ms(now) + Int64(max(grant.waitMs, 50))
            result.schedule += events[granted...].map { ($0, due) }
        }
        return (result, requests(Array(events.prefix(granted)), batchSize: batchSize), events.count - granted)
    }

    /// Consecutive runs of at most `batchSize` (at least 1) and Meta's per-request limit, in order.
    public func requests(_ events: [OutboundEvent], batchSize: Int) -> [[OutboundEvent]] {
        let size = max(1, min(batchSize, limits.maxEventsPerRequest))
        return stride(from: 0, to: events.count, by: size).map { Array(events[$0..<min($0 + size, events.count)]) }
    }

    static func ms(_ d: Date) -> Int64 { Int64(d.timeIntervalSince1970 * 1000) }
}
