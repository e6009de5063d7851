import Crypto
public import Foundation
import Synchronization
import TrackhubCore

/// The one fake of Meta's Conversions API edge (`POST /{version}/{pixel}/events`): its
/// programming, its records and its answers, independent of how it is served.
///
/// It validates like Meta does where the reference documents it (shared/reference §1.1–1.3,
/// §1.10) — 1…1000 events, and every event judged by production's own `CAPIEventValidator`
/// with Meta's exact windows (no safety margin); one invalid event rejects the whole batch, an
/// event older than 7 days answers code 100 subcode 2804003. Deliberately stricter than Meta,
/// to catch our own bugs: `event_time` must be a JSON integer at most `maxFutureSkew` ahead
/// (milliseconds sent as seconds), pixel ids numeric, versions like `v25.0`.
///
/// Served in-process by `FakeMetaServer` (tests) or by `trackhub-fake meta` (scripts), through
/// `FakeGraphRoutes`; programmed through methods here or the JSON control API
/// (`FakeControlRoutes`). Tokens are never kept: only a SHA-256 fingerprint and the last 4
/// characters.
public final class FakeMeta: Sendable {
    static let maxEventsPerRequest = 1000

    public let options: FakeMetaOptions
    let state = Mutex(FakeMetaState())
    /// Where each answered request is appended as a JSON line, when set (`trackhub-fake`).
    let recordLog = FakeMetaRecordLog()

    public init(options: FakeMetaOptions = FakeMetaOptions()) {
        self.options = options
    }

    /// The fingerprint compared and recorded instead of a token: SHA-256, lowercase hex.
    public static func tokenFingerprint(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    // MARK: Programming

    /// Replaces how requests for `pixel` are answered, effective from the next request.
    public func setBehaviour(_ behaviour: FakeMetaBehaviour, pixel: String) {
        state.withLock { $0.behaviours[pixel] = behaviour }
    }

    /// Sends `Retry-After: seconds` with every refused answer to `pixel` (nil: none), as a
    /// server that knows when its limit lifts does; throttling honours it.
    public func setRetryAfter(seconds: Int?, pixel: String) {
        state.withLock { $0.retryAfter[pixel] = seconds }
    }

    /// The behaviour now in force for `pixel` (after any `failNextRequests` countdown).
    public func behaviour(pixel: String) -> FakeMetaBehaviour {
        state.withLock { $0.behaviours[pixel] ?? $0.defaultBehaviour }
    }

    /// Behaviour for pixels without one of their own (`.ok` unless changed).
    public var defaultBehaviour: FakeMetaBehaviour {
        get { state.withLock { $0.defaultBehaviour } }
        set { state.withLock { $0.defaultBehaviour = newValue } }
    }

    /// From now on `pixel` only accepts `token` (anything else: 400 code 190). Pixels without
    /// an expected token accept any non-empty token.
    public func expectToken(pixel: String, token: String) {
        expectToken(pixel: pixel, fingerprint: Self.tokenFingerprint(token))
    }

    /// `expectToken` by fingerprint (what the control API receives); nil accepts any token again.
    public func expectToken(pixel: String, fingerprint: String?) {
        state.withLock { $0.expectedTokens[pixel] = fingerprint?.lowercased() }
    }

    /// Any request containing one of these `event_id`s is rejected whole with 400 code 100
    /// subcode 2804019 naming the id, as Meta rejects a batch with one invalid event.
    public var rejectEventIDs: Set<String> {
        get { state.withLock { $0.rejectEventIDs } }
        set { state.withLock { $0.rejectEventIDs = newValue } }
    }

    /// Like `rejectEventIDs`, for every `event_id` starting with one of these.
    public var rejectEventIDPrefixes: [String] {
        get { state.withLock { $0.rejectEventIDPrefixes } }
        set { state.withLock { $0.rejectEventIDPrefixes = newValue } }
    }

    /// Slept before answering each events request, whatever the behaviour (Meta's own time).
    public var latency: Duration {
        get { state.withLock { $0.latency } }
        set { state.withLock { $0.latency = newValue } }
    }

    /// Forgets recorded requests and accepted events (the programming stays).
    public func clearRecords() {
        state.withLock { state in
            state.requests.removeAll()
            state.accepted.removeAll()
        }
    }

    /// Forgets programming and records (the latency stays) and appends records to `recordsPath`
    /// from now on (none when nil): what one fault-suite scenario starts from.
    public func reset(recordsPath: String?) throws {
        state.withLock { $0.reset() }
        try recordLog.open(path: recordsPath)
    }

    func beginStopping() {
        state.withLock { $0.stopping = true }
    }

    var isStopping: Bool { state.withLock { $0.stopping } }
}
