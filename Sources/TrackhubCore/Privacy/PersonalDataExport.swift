public import Foundation

/// `dispatchd privacy export`: one person's data as JSON (LGPD art. 18, II — access; art. 19:
/// in a simplified form immediately, or a complete declaration within 15 days).
///
/// The same ``PersonFootprint`` an erasure would act on: touchpoints, sales with their hashed
/// buyer, the matches between them, ledger rows (the events as sent to Meta), dead letters,
/// the raw webhook bodies opened (what the gateway told us about the person, in clear), and
/// the person's events still waiting in Redis. The document is for the person: it leaves the
/// machine only through the operator. Each export is recorded in `privacy_requests` (counts,
/// no identifiers).
public struct PersonalDataExport: Sendable {
    public let keys: KeyRing
    public let layout: StreamLayout

    public init(keys: KeyRing, layout: StreamLayout) {
        self.keys = keys
        self.layout = layout
    }

    /// What the export says for a stored body the key ring cannot open (a retired key).
    public static let unreadableBody = "[unreadable: sealed with a key this installation no longer has]"

    /// The export document (JSON text). Blocking: run on the pool's thread.
    public func export(_ subject: ErasureSubject, requestedBy: String, now: Date = Date(), postgres pg: PostgresConnection,
                       redis: RedisConnection) throws -> String {
        let normalizer = try PersonalDataEraser.normalizer(tenant: subject.tenant, connection: pg)
        let f = try PersonalDataFinder(keys: keys).find(subject, normalizer: normalizer, connection: pg)
        func ids(_ values: [Int]) -> PostgresValue { .textArray(values.map(String.init)) }

        let sealed = try pg.query("SELECT id, envelope_id, tenant_id, body_sealed FROM webhook_inbox WHERE id = ANY($1::bigint[]) ORDER BY id",
                                  [ids(f.inboxIDs)])
        var bodyIDs: [String] = [], bodies: [String] = []
        for i in sealed.indices {
            guard let id = try sealed.int(i, "id"), let text = try sealed.string(i, "body_sealed") else { continue }
            let context = SealContext.webhookBody(tenant: try sealed.string(i, "tenant_id") ?? "",
                                                  envelope: try sealed.string(i, "envelope_id") ?? "")
            bodyIDs.append(String(id))
            // A body this key ring cannot open is said so, never silently left out of the answer.
            guard let body = try? keys.open(Sealed(text: text), for: context) else {
                bodies.append(Self.unreadableBody)
                continue
            }
            bodies.append(StorableText.storable(WebhookSecretRedaction.redact(String(decoding: Data(body), as: UTF8.self))))
        }
        let waiting = try PersonalDataFinder(keys: keys).waitingEvents(subject, footprint: f, layout: layout, connection: redis).map(\.payload)

        let document = try pg.query("""
            SELECT jsonb_build_object(
                'tenant', $1::text,
                'generated_at', $2::timestamptz,
                'identifiers', jsonb_build_object('em', to_jsonb($3::text[]), 'ph', to_jsonb($4::text[]), 'external_id', to_jsonb($5::text[])),
                'touchpoints', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]') FROM touchpoints t WHERE t.id = ANY($6::bigint[])),
                'conversions', (SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c.id), '[]') FROM conversions c WHERE c.id = ANY($7::bigint[])),
                'matches', (SELECT coalesce(jsonb_agg(to_jsonb(m) ORDER BY m.conversion_id), '[]') FROM matches m WHERE m.conversion_id = ANY($7::bigint[])),
                'meta_events', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'event_id', a.event_id, 'event_name', a.event_name,
                        'pixel_id', a.pixel_id, 'attempt', a.attempt, 'outcome', a.outcome, 'created_at', a.created_at, 'payload', a.payload) ORDER BY a.id), '[]')
                    FROM dispatch_attempts a WHERE a.id = ANY($8::bigint[])),
                'dead_letters', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'reason', d.reason, 'event_id', d.event_id,
                        'created_at', d.created_at, 'payload', d.payload) ORDER BY d.id), '[]') FROM dead_letters d WHERE d.id = ANY($9::bigint[])),
                'webhooks', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', w.id, 'gateway', w.gateway, 'account', w.account,
                        'received_at', w.received_at, 'outcome', w.outcome, 'body', u.body) ORDER BY w.id), '[]')
                    FROM unnest($10::bigint[], $11::text[]) AS u(id, body) JOIN webhook_inbox w ON w.id = u.id),
                'waiting_in_redis', (SELECT coalesce(jsonb_agg(e::jsonb), '[]') FROM unnest($12::text[]) AS e),
                'telegram_bot_users', (SELECT coalesce(jsonb_agg(jsonb_build_object('bot', b.bot, 'user_hash', b.user_hash,
                        'click_id', b.click_id, 'started_at', b.started_at) ORDER BY b.started_at), '[]')
                    FROM telegram_bot_users b WHERE b.tenant_id = $1 AND b.user_hash = ANY($5::text[]))
            ) AS doc
            """, [.string(subject.tenant), .timestamp(now), .textArray(subject.emailHashes), .textArray(subject.phoneHashes),
                  .textArray(subject.externalIDHashes), ids(f.touchpointIDs), ids(f.conversionIDs), ids(f.ledgerIDs),
                  ids(f.deadLetterIDs), .textArray(bodyIDs), .textArray(bodies), .textArray(waiting)])
        let counts = f.counts + [("redis_retry_and_parked", waiting.count)]
        try pg.query("INSERT INTO privacy_requests (tenant_id, kind, requested_by, counts, finished_at) VALUES ($1, 'export', $2, $3, now())",
                     [.string(subject.tenant), .string(requestedBy), .json(PersonalDataEraser.countsJSON(counts))])
        return try document.string(0, "doc") ?? "{}"
    }
}
