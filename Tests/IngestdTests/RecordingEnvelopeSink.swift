import Synchronization
import TrackhubCore

/// The in-memory ``EnvelopeSink``: records what the routes appended (decoded back into
/// envelopes), answers as Redis would, and can be told to fail like "Redis and spool down".
final class RecordingEnvelopeSink: EnvelopeSink {
    struct Appended: Sendable {
        let stream: String
        let envelope: Envelope
    }

    struct Refused: Error {}

    private struct State {
        var appended: [Appended] = []
        var failing = false
        var status = EnvelopeSinkStatus(redisConnected: true, spoolPending: 0, spoolUsable: true)
    }

    private let state = Mutex(State())

    func append(stream: String, payload: [UInt8]) async throws -> AppendDurability {
        let envelope = try Envelope.decode(payload)
        return try state.withLock { state in
            if state.failing { throw Refused() }
            state.appended.append(Appended(stream: stream, envelope: envelope))
            return .redis(id: "\(state.appended.count)-0")
        }
    }

    var status: EnvelopeSinkStatus { state.withLock { $0.status } }

    /// Every envelope appended so far, in order.
    var appended: [Appended] { state.withLock { $0.appended } }

    /// From now on appends throw (as when neither Redis nor the spool can take them) and the
    /// status says so.
    func failEverything() {
        state.withLock {
            $0.failing = true
            $0.status = EnvelopeSinkStatus(redisConnected: false, spoolPending: 0, spoolUsable: false)
        }
    }
}

/// A snapshot that never changes (or is absent: ingestd before its first snapshot).
struct FixedSnapshotSource: SnapshotSource {
    let snapshot: CompiledSnapshot?
}
