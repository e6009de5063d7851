import Synchronization
@testable import TrackhubCore

/// A ``PixelGate`` in memory: pauses set by hand or by the sender, and a token bucket that
/// grants up to `tokens` per pixel (unlimited when absent).
final class InMemoryPixelGate: PixelGate {
    struct State {
        var pauses: [String: PixelControl.Pause] = [:]
        var tokens: [String: Int] = [:]
        var refillWaitMs = 250
        var pauseCalls: [(pixel: String, reason: String, duration: Duration?)] = []
        var throttleStreaks: [String: Int] = [:]
    }

    let state = Mutex(State())

    func pauseState(pixel: String) async throws -> PixelControl.Pause? { state.withLock { $0.pauses[pixel] } }

    func acquire(pixel: String, requested: Int, ratePerSecond: Int, burst: Int) async throws -> PixelGrant {
        state.withLock { s in
            guard let available = s.tokens[pixel] else { return PixelGrant(granted: requested, waitMs: 0) }
            let granted = min(available, requested)
            s.tokens[pixel] = available - granted
            return PixelGrant(granted: granted, waitMs: granted < requested ? s.refillWaitMs : 0)
        }
    }

    func pause(pixel: String, reason: String, duration: Duration?) async throws {
        state.withLock { s in
            s.pauses[pixel] = PixelControl.Pause(reason: reason, remainingMs: duration.map { Int($0.wholeMilliseconds) })
            s.pauseCalls.append((pixel, reason, duration))
        }
    }

    func recordThrottle(pixel: String) async throws -> Int {
        state.withLock { s in
            s.throttleStreaks[pixel, default: 0] += 1
            return s.throttleStreaks[pixel]!
        }
    }

    func setPause(_ pixel: String, reason: String, remainingMs: Int?) {
        state.withLock { $0.pauses[pixel] = PixelControl.Pause(reason: reason, remainingMs: remainingMs) }
    }

    func setTokens(_ pixel: String, _ n: Int) { state.withLock { $0.tokens[pixel] = n } }
    func clearPauses() { state.withLock { $0.pauses = [:] } }
    var pauses: [String: PixelControl.Pause] { state.withLock { $0.pauses } }
    var pauseDurations: [Duration?] { state.withLock { $0.pauseCalls.map(\.duration) } }
}
