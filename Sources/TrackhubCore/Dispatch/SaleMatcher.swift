import Foundation

/// Finds the touchpoint that produced a sale (docs/MATCHING.md), strongest evidence first:
///
/// 1. `click_id` (1.0): a click id the gateway carried back, of a click of the same tenant;
/// 2. `session_id` (0.95): a `/t.js` session id carried back, on a touchpoint of the tenant;
/// 3. `email` (0.9) / `phone` (0.8): the buyer's hash on an earlier lead or checkout;
/// 4. `scored` (its score): IP, user agent and time (``ScoredMatcher``).
///
/// It also reports the *pending* click ids: well-formed, recent ids that are not stored at all
/// yet. Their click is most likely still queued behind the sale (a late click), so the caller
/// holds the Purchase briefly instead of sending it without the click (see ``LateClickHold``).
struct SaleMatcher: Sendable {
    struct Match: Sendable, Equatable {
        var context: ClickContext
        var method: String
        var score: Double
    }

    struct Result: Sendable {
        var match: Match?
        /// Valid click ids carried by the sale whose click is not stored yet.
        var pendingClickIDs: [String] = []
    }

    static let sessionMetadataKeys = ["th_sid", "session_id"]

    let window: TimeInterval
    let scored: ScoredMatcher
    private let store = SalesStore()

    init(window: TimeInterval, scoreThreshold: Double) {
        self.window = window
        self.scored = ScoredMatcher(window: window, threshold: scoreThreshold)
    }

    func match(_ c: Conversion, tenant: String, hashed: HashedUserData, connection: PostgresConnection) throws -> Result {
        let clickIDs = c.tracking.clickIDs
        if let click = try store.click(ids: clickIDs, tenant: tenant, connection: connection) {
            return Result(match: Match(context: click, method: "click_id", score: 1.0))
        }
        let pending = try pendingClickIDs(clickIDs, saleTime: c.occurredAt, connection: connection)
        var result = Result(pendingClickIDs: pending)
        let sessions = sessionCandidates(c.tracking)
        if let (ctx, method) = try store.touchpointBySession(tenant: tenant, sessionIDs: sessions, before: c.occurredAt,
                                                               window: window, connection: connection) {
            result.match = Match(context: ctx, method: method, score: 0.95)
        } else if let (ctx, method) = try store.touchpointByIdentity(tenant: tenant, emailHashes: hashed.em, phoneHashes: hashed.ph,
                                                                       before: c.occurredAt, window: window, connection: connection) {
            result.match = Match(context: ctx, method: method, score: method == "email" ? 0.9 : 0.8)
        } else if let ip = c.ip {
            let candidates = try store.clicksNear(ip: ip, tenant: tenant, before: c.occurredAt, window: window, connection: connection)
            let sale = ScoredMatcher.Sale(ip: ip, userAgent: c.userAgent, occurredAt: c.occurredAt)
            if case .matched(let id, let score) = scored.verdict(candidates.map(\.0), for: sale),
               let ctx = candidates.first(where: { $0.0.id == id })?.1 {
                result.match = Match(context: ctx, method: "scored", score: score)
            }
        }
        return result
    }

    /// Values that may be a session id: candidates that are not click ids, and metadata keys.
    func sessionCandidates(_ t: TrackingParameters) -> [String] {
        var out = Self.sessionMetadataKeys.compactMap { t.metadata[$0] }
        out += t.clickIDCandidates.filter { !ClickID.isValid($0) }
        return Array(Set(out.filter { !$0.isEmpty && $0.count <= 128 })).sorted()
    }

    /// Click ids whose click may still arrive: minted within the attribution window before the
    /// sale (a ULID carries its creation time) and not stored under any tenant. An id of a
    /// click stored for another tenant is not pending: it will never match this tenant.
    func pendingClickIDs(_ ids: [String], saleTime: Date, connection: PostgresConnection) throws -> [String] {
        let fresh = ids.filter { id in
            guard let minted = ClickID.timestamp(of: id) else { return false }
            let age = saleTime.timeIntervalSince(minted)
            return age >= -ScoredMatcher.clockSkew && age <= window
        }
        guard !fresh.isEmpty else { return [] }
        let stored = try store.storedClickIDs(fresh, connection: connection)
        return fresh.filter { !stored.contains($0) }
    }
}
