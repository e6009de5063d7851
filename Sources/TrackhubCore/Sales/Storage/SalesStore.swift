public import Foundation

/// The Postgres side of sales: conversions, sale↔click matches, and the inbox outcome.
public struct SalesStore: Sendable {
    public init() {}

    /// The most recent touchpoint of the tenant carrying one of these email/phone hashes, within
    /// the attribution window before the sale, with the click it came from when it has one.
    public func touchpointByIdentity(tenant: String, emailHashes: [String], phoneHashes: [String], before: Date,
                                     window: TimeInterval, connection: PostgresConnection) throws -> (ClickContext, String)? {
        guard !emailHashes.isEmpty || !phoneHashes.isEmpty else { return nil }
        let rows = try connection.query(Self.touchpointWithClick(
            method: "CASE WHEN t.em_hash = ANY($4::text[]) THEN 'email' ELSE 'phone' END",
            condition: "(t.em_hash = ANY($4::text[]) OR t.ph_hash = ANY($5::text[]))"),
            Self.bounds(tenant, before, window) + [.textArray(emailHashes), .textArray(phoneHashes)])
        return try Self.firstContext(rows, fallbackTime: before)
    }

    /// The most recent touchpoint of the tenant with one of these session ids (the `th_sid` of
    /// `/t.js`, which a landing page may pass to the checkout), with its click.
    public func touchpointBySession(tenant: String, sessionIDs: [String], before: Date, window: TimeInterval,
                                    connection: PostgresConnection) throws -> (ClickContext, String)? {
        let sessionIDs = PostgresText.storableKeys(sessionIDs)
        guard !sessionIDs.isEmpty else { return nil }
        let rows = try connection.query(Self.touchpointWithClick(method: "'session_id'", condition: "t.session_id = ANY($4::text[])"),
                                        Self.bounds(tenant, before, window) + [.textArray(sessionIDs)])
        return try Self.firstContext(rows, fallbackTime: before)
    }

    /// The query behind the identity and session look-ups: the most recent matching touchpoint
    /// (``bounds(_:_:_:)``: $1 tenant, $2/$3 time bounds; the condition's own parameters from $4)
    /// with fbc/fbp/IP/UA/page from its click when it lacks them.
    private static func touchpointWithClick(method: String, condition: String) -> String {
        """
            SELECT t.id, t.click_id, coalesce(t.fbc, c.fbc) AS fbc, coalesce(t.fbp, c.fbp) AS fbp,
                   host(coalesce(t.ip, c.ip)) AS ip, coalesce(t.user_agent, c.user_agent) AS user_agent,
                   coalesce(t.page_url, c.page_url) AS page_url, t.occurred_at, \(method) AS method
            FROM touchpoints t
            LEFT JOIN LATERAL (SELECT * FROM touchpoints c
                               WHERE c.kind = 'click' AND c.click_id = t.click_id AND c.tenant_id = t.tenant_id LIMIT 1) c ON true
            WHERE t.tenant_id = $1 AND \(condition)
              AND t.occurred_at <= $2 AND t.occurred_at >= $3 AND t.consent
            ORDER BY t.occurred_at DESC LIMIT 1
            """
    }

    /// Whether the newest page event of this click (not the click itself: `/go` carries no
    /// consent) said the visitor declined tracking — the browser's signal for the sale the click
    /// led to (``SaleConsent``). Served by the `click_id` index.
    public func clickDeclinedConsent(tenant: String, clickID: String, connection: PostgresConnection) throws -> Bool {
        let rows = try connection.query("""
            SELECT NOT consent AS declined FROM touchpoints
            WHERE click_id = $1 AND tenant_id = $2 AND kind <> 'click'
            ORDER BY occurred_at DESC, id DESC LIMIT 1
            """, [.string(clickID), .string(tenant)])
        return rows.isEmpty ? false : try rows.bool(0, "declined") ?? false
    }

    /// Tenant and time bounds: up to 5 minutes after the sale (clock skew), back to the window.
    private static func bounds(_ tenant: String, _ before: Date, _ window: TimeInterval) -> [PostgresValue] {
        [.string(tenant), .timestamp(before.addingTimeInterval(ScoredMatcher.clockSkew)), .timestamp(before.addingTimeInterval(-window))]
    }

    private static func firstContext(_ rows: PostgresRows, fallbackTime: Date) throws -> (ClickContext, String)? {
        guard !rows.isEmpty else { return nil }
        let context = try ClickContext(row: 0, of: rows, tenant: nil, fallbackTime: fallbackTime)
        return (context, try rows.string(0, "method") ?? "email")
    }

    /// Clicks of the tenant from the buyer's network (IPv4 /24, IPv6 /64) within the window
    /// before the sale, most recent first: the candidates of ``ScoredMatcher``.
    public func clicksNear(ip: String, tenant: String, before: Date, window: TimeInterval, limit: Int = 50,
                           connection: PostgresConnection) throws -> [(ScoredMatcher.Candidate, ClickContext)] {
        guard let prefix = IPAddress(lenient: ip)?.networkPrefixLength else { return [] }
        let rows = try connection.query("""
            SELECT id, click_id, fbc, fbp, host(ip) AS ip, user_agent, page_url, occurred_at FROM touchpoints
            WHERE kind = 'click' AND tenant_id = $1 AND ip <<= set_masklen($2::inet, $3::int)
              AND occurred_at <= $4 AND occurred_at >= $5 AND consent
            ORDER BY occurred_at DESC LIMIT $6
            """, [.string(tenant), .string(ip), .int(prefix), .timestamp(before.addingTimeInterval(ScoredMatcher.clockSkew)),
                  .timestamp(before.addingTimeInterval(-window)), .int(limit)])
        return try rows.indices.map { i in
            let ctx = try ClickContext(row: i, of: rows, tenant: tenant, fallbackTime: before)
            return (ScoredMatcher.Candidate(id: ctx.touchpointID ?? 0, ip: ctx.ip, userAgent: ctx.userAgent, occurredAt: ctx.occurredAt), ctx)
        }
    }

    /// The envelope that registered this event in the dedupe registry ("" when it was registered
    /// without one), or nil when it is not registered.
    public func dedupeOwner(pixel: String, eventName: String, eventID: String, connection: PostgresConnection) throws -> String? {
        let rows = try connection.query(
            "SELECT coalesce(envelope_id, '') AS envelope_id FROM dedupe_registry WHERE pixel_id = $1 AND event_name = $2 AND event_id = $3",
            [.string(pixel), .string(eventName), .string(eventID)])
        return rows.isEmpty ? nil : try rows.string(0, "envelope_id")
    }
}
