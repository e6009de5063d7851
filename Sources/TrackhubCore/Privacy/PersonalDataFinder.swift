public import Foundation

/// Finds a person's ``PersonFootprint`` in Postgres. Blocking (libpq): run it on a
/// ``PostgresPool`` connection.
///
/// Look-ups go through indexes (the hashes on touchpoints and conversions, matches, event ids
/// in the ledger) except two bounded scans: the tenant's stored webhooks that did not become a
/// sale (opened in memory and recognised by their parsed buyer or the clear e-mail/CPF), and
/// dead letters (rare) whose payload holds one of the hashes.
public struct PersonalDataFinder: Sendable {
    public let keys: KeyRing
    /// Rows opened per round trip while scanning stored webhooks.
    public var scanBatch = 500

    public init(keys: KeyRing) { self.keys = keys }

    public func find(_ subject: ErasureSubject, normalizer: UserDataNormalizer, connection pg: PostgresConnection) throws -> PersonFootprint {
        var f = PersonFootprint()
        let tenant = PostgresValue.string(subject.tenant)
        let em = PostgresValue.textArray(subject.emailHashes), ph = PostgresValue.textArray(subject.phoneHashes)
        let xid = PostgresValue.textArray(subject.externalIDHashes)

        let sales = try pg.query("""
            SELECT id, envelope_id, gateway || '.' || transaction_id AS event_id FROM conversions
            WHERE tenant_id = $1 AND ((buyer -> 'em') ?| $2 OR (buyer -> 'ph') ?| $3 OR (buyer -> 'external_id') ?| $4)
            ORDER BY id
            """, [tenant, em, ph, xid])
        var envelopes: [String] = [], events: [String] = []
        for i in sales.indices {
            if let id = try sales.int(i, "id") { f.conversionIDs.append(id) }
            if let e = try sales.string(i, "envelope_id") { envelopes.append(e) }
            if let e = try sales.string(i, "event_id") { events.append(e) }
        }
        let conversionIDs = PostgresValue.textArray(f.conversionIDs.map(String.init))

        // A Telegram user's bot links (keyed by the hash their bot events carry as external_id):
        // the click that brought them and the /start update.
        let bot = try pg.query("SELECT click_id, envelope_id FROM telegram_bot_users WHERE tenant_id = $1 AND user_hash = ANY($2)",
                               [tenant, xid])
        f.telegramBotUsers = bot.count
        var botClicks: [String] = []
        for i in bot.indices {
            if let c = try bot.string(i, "click_id") { botClicks.append(c) }
            if let e = try bot.string(i, "envelope_id") { envelopes.append(e) }
        }
        // Their stored webhooks that did not become a sale, found by opening them; a bot update
        // names its event id (bot and update id).
        let scanned = try scanInbox(subject, normalizer: normalizer, connection: pg)
        envelopes += scanned.envelopeIDs
        events += scanned.eventIDs

        // Seeds (the person's own events, the clicks their sales were matched to, the clicks
        // that brought them to a bot), then everything of the same session or click.
        let seeds = try pg.query("""
            SELECT id, session_id, click_id FROM touchpoints WHERE tenant_id = $1 AND (em_hash = ANY($2) OR ph_hash = ANY($3))
            UNION
            SELECT t.id, t.session_id, t.click_id FROM touchpoints t JOIN matches m ON m.touchpoint_id = t.id
            WHERE m.conversion_id = ANY($4::bigint[])
            UNION
            SELECT id, session_id, click_id FROM touchpoints WHERE tenant_id = $1 AND click_id = ANY($5)
            """, [tenant, em, ph, conversionIDs, .textArray(botClicks)])
        var seedIDs: [String] = [], sessions: [String] = [], clicks: [String] = []
        for i in seeds.indices {
            if let id = try seeds.int(i, "id") { seedIDs.append(String(id)) }
            if let s = try seeds.string(i, "session_id") { sessions.append(s) }
            if let c = try seeds.string(i, "click_id") { clicks.append(c) }
        }
        if !seedIDs.isEmpty {
            let touch = try pg.query("""
                SELECT id, envelope_id, event_id, click_id FROM touchpoints
                WHERE tenant_id = $1 AND (id = ANY($2::bigint[]) OR session_id = ANY($3) OR click_id = ANY($4))
                ORDER BY id
                """, [tenant, .textArray(seedIDs), .textArray(sessions), .textArray(clicks)])
            for i in touch.indices {
                if let id = try touch.int(i, "id") { f.touchpointIDs.append(id) }
                if let e = try touch.string(i, "envelope_id") { envelopes.append(e); events.append("th." + e) }
                if let e = try touch.string(i, "event_id") { events.append(e) }
                if let c = try touch.string(i, "click_id") { events.append(c) }
            }
        }
        f.envelopeIDs = Self.unique(envelopes)
        f.eventIDs = Self.unique(events)
        let eventIDs = PostgresValue.textArray(f.eventIDs), envelopeIDs = PostgresValue.textArray(f.envelopeIDs)

        let ledger = try pg.query("""
            SELECT id FROM dispatch_attempts
            WHERE (event_id = ANY($1) AND pixel_id IN (SELECT id FROM pixels WHERE tenant_id = $3))
               OR conversion_id = ANY($2::bigint[])
            ORDER BY id
            """, [eventIDs, conversionIDs, tenant])
        f.ledgerIDs = try ledger.indices.compactMap { try ledger.int($0, "id") }

        let dead = try pg.query("""
            SELECT id FROM dead_letters
            WHERE ((event_id = ANY($1) OR envelope_id = ANY($2))
                   AND (pixel_id IS NULL OR pixel_id IN (SELECT id FROM pixels WHERE tenant_id = $4)))
               OR payload LIKE ANY($3)
            ORDER BY id
            """, [eventIDs, envelopeIDs, .textArray(subject.allHashes.map { "%\($0)%" }), tenant])
        f.deadLetterIDs = try dead.indices.compactMap { try dead.int($0, "id") }

        let linked = try pg.query("SELECT id FROM webhook_inbox WHERE envelope_id = ANY($1) ORDER BY id", [envelopeIDs])
        var inbox = try linked.indices.compactMap { try linked.int($0, "id") }
        inbox += scanned.ids
        f.inboxIDs = Array(Set(inbox)).sorted()
        return f
    }

    /// What ``scanInbox(_:normalizer:connection:)`` found: rows, their envelopes, and the
    /// event ids of the person's bot updates.
    struct ScannedInbox {
        var ids: [Int] = []
        var envelopeIDs: [String] = []
        var eventIDs: [String] = []
    }

    /// The tenant's stored webhooks that did not become a sale (ignored event types, invalid,
    /// not processed yet, bot updates), opened one batch at a time: those whose parsed buyer or
    /// clear text names the person, and the bot updates they sent.
    func scanInbox(_ subject: ErasureSubject, normalizer: UserDataNormalizer, connection pg: PostgresConnection) throws -> ScannedInbox {
        var found = ScannedInbox()
        var cursor = 0
        while true {
            let rows = try pg.query("""
                SELECT id, envelope_id, tenant_id, gateway, account, content_type, body_sealed FROM webhook_inbox
                WHERE (tenant_id = $1 OR tenant_id IS NULL) AND outcome IS DISTINCT FROM 'conversion' AND id > $2
                ORDER BY id LIMIT $3
                """, [.string(subject.tenant), .int(cursor), .int(scanBatch)])
            if rows.isEmpty { return found }
            for i in rows.indices {
                guard let id = try rows.int(i, "id") else { continue }
                cursor = id
                let context = SealContext.webhookBody(tenant: try rows.string(i, "tenant_id") ?? "",
                                                      envelope: try rows.string(i, "envelope_id") ?? "")
                guard let sealed = try rows.string(i, "body_sealed"),
                      let body = try? keys.open(Sealed(text: sealed), for: context) else { continue }
                let bytes = Array(body)
                let gateway = Gateway(rawValue: try rows.string(i, "gateway") ?? "")
                let account = try rows.string(i, "account") ?? ""
                func take() throws {
                    found.ids.append(id)
                    if let e = try rows.string(i, "envelope_id") { found.envelopeIDs.append(e) }
                }
                if gateway == .telegram {
                    guard subject.sent(telegramUpdate: bytes) else { continue }
                    try take()
                    if let update = TelegramUpdateRoute.read(bytes)?.updateID {
                        found.eventIDs.append(TelegramStartDecision.eventID(bot: account, updateID: update))
                    }
                    continue
                }
                if subject.appears(inBody: bytes) { try take(); continue }
                guard let gateway else { continue }
                let parsed = GatewayParser.parse(gateway: gateway, account: account, body: bytes,
                                                 contentType: try rows.string(i, "content_type"), query: [], headers: [:])
                if case .conversion(let c) = parsed, subject.matches(normalizer.normalize(c.buyerForHashing)) { try take() }
            }
        }
    }

    /// One event waiting in Redis (retry schedule, in flight, or parked): its key, pixel and
    /// stored JSON.
    public struct WaitingEvent: Sendable {
        public var key: String
        public var pixel: String
        public var payload: String
    }

    /// The person's events waiting in Redis: those whose stored event holds one of the hashes,
    /// or one of the footprint's event ids or envelopes. Every stored payload is in one hash
    /// (`th:retry:payloads`), read with HSCAN in steps of 500.
    public func waitingEvents(_ subject: ErasureSubject, footprint: PersonFootprint, layout: StreamLayout,
                              connection redis: RedisConnection) throws -> [WaitingEvent] {
        let eventIDs = Set(footprint.eventIDs), envelopes = Set(footprint.envelopeIDs)
        var out: [WaitingEvent] = []
        var cursor = "0"
        repeat {
            let reply = try redis.command(["HSCAN", layout.retryPayloads, cursor, "COUNT", "500"])
            if let m = reply.errorMessage { throw RedisError(.server, m) }
            let parts = reply.elements
            guard parts.count == 2 else { break }
            cursor = parts[0].text ?? "0"
            let fields = parts[1].elements
            for i in stride(from: 0, to: fields.count - 1, by: 2) {
                guard let key = fields[i].text, let text = fields[i + 1].text else { continue }
                let event = try? JSONDecoder().decode(OutboundEvent.self, from: Data(text.utf8))
                let named = event.map { eventIDs.contains($0.eventID) || envelopes.contains($0.envelopeID) } ?? false
                if named || subject.appears(inText: text) {
                    out.append(WaitingEvent(key: key, pixel: event?.pixel ?? String(key.prefix { $0 != "|" }), payload: text))
                }
            }
        } while cursor != "0"
        return out
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
