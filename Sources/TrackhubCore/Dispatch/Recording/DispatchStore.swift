import Foundation

/// The Postgres side of dispatching: touchpoints, the dedupe registry, the attempt ledger, dead
/// letters and the webhook inbox. Blocking; runs on a ``PostgresPool`` thread.
public struct DispatchStore: Sendable {
    public init() {}

    static let touchpointColumns = ["envelope_id", "tenant_id", "kind", "click_id", "session_id", "event_id", "fbp", "fbc", "ip",
                                    "user_agent", "page_url", "referrer", "utm", "em_hash", "ph_hash", "consent", "occurred_at", "link_slug"]

    /// Inserts touchpoints; an envelope seen before (redelivery) is ignored.
    ///
    /// COPY first (several times cheaper for Postgres than a multi-row INSERT); only when that
    /// hits an envelope already stored — a redelivery after a crash — is the batch inserted
    /// again with `ON CONFLICT DO NOTHING`. Inside a transaction the COPY runs under a savepoint
    /// so its failure does not doom the caller's transaction.
    public func insertTouchpoints(_ rows: [TouchpointRow], connection: PostgresConnection) throws {
        try Self.insertIgnoringRedelivered(table: "touchpoints", columns: Self.touchpointColumns, rows: Self.touchpointValues(rows),
                                           connection: connection)
    }

    /// COPY, or — when it hits a row already stored (a redelivered envelope) — the same rows
    /// with `INSERT … ON CONFLICT DO NOTHING`. Inside a transaction the COPY runs under a
    /// savepoint so its failure does not doom the caller's transaction.
    static func insertIgnoringRedelivered(table: String, columns: [String], rows: [[PostgresValue?]],
                                          connection: PostgresConnection) throws {
        guard !rows.isEmpty else { return }
        let savepoint = connection.isInTransaction
        if savepoint { try connection.execute("SAVEPOINT copy_rows") }
        do {
            try connection.copyIn(table: table, columns: columns, rows: rows)
            if savepoint { try connection.execute("RELEASE SAVEPOINT copy_rows") }
            return
        } catch let error as PostgresError where error.isUniqueViolation {
            if savepoint { try connection.execute("ROLLBACK TO SAVEPOINT copy_rows") }
        }
        try connection.insertBatch(table: table, columns: columns, rows: rows, onConflictDoNothing: true)
    }

    static func touchpointValues(_ rows: [TouchpointRow]) -> [[PostgresValue?]] {
        rows.map { r in
            [.string(r.envelopeID), .string(r.tenant), .string(r.kind), r.clickID.map(PostgresValue.string),
             r.sessionID.map(PostgresValue.string), r.eventID.map(PostgresValue.string), r.fbp.map(PostgresValue.string),
             r.fbc.map(PostgresValue.string), r.ip.flatMap(Self.validIP).map(PostgresValue.string),
             r.userAgent.map(PostgresValue.string), r.pageURL.map(PostgresValue.string), r.referrer.map(PostgresValue.string),
             r.utmJSON.map(PostgresValue.json), r.emailHash.map(PostgresValue.string), r.phoneHash.map(PostgresValue.string),
             .bool(r.consent), .timestamp(r.occurredAt), r.linkSlug.map(PostgresValue.string)]
        }
    }

    /// Only addresses Postgres' `inet` accepts (anything else is dropped, not an error).
    static func validIP(_ s: String) -> String? {
        IPAddress(s) == nil ? nil : s
    }

    /// Every stored click with one of these ids, of any tenant, by click id: a later event or a
    /// sale takes the one of its own tenant (a click id is unique in practice, but a copied link
    /// can put the same id under two tenants, and another tenant's click must never lend its data).
    public func clicks(ids: [String], connection: PostgresConnection) throws -> [String: [ClickContext]] {
        let ids = PostgresText.storableKeys(ids)
        guard !ids.isEmpty else { return [:] }
        let rows = try connection.query("""
            SELECT id, tenant_id, click_id, fbc, fbp, host(ip) AS ip, user_agent, page_url, occurred_at FROM touchpoints
            WHERE kind = 'click' AND click_id = ANY($1::text[])
            """, [.textArray(Array(Set(ids)))])
        var out: [String: [ClickContext]] = [:]
        for i in rows.indices {
            guard let id = try rows.string(i, "click_id") else { continue }
            out[id, default: []].append(try ClickContext(row: i, of: rows, tenant: try rows.string(i, "tenant_id"), fallbackTime: Date()))
        }
        return out
    }

    /// What the dedupe registry decided for a batch's events.
    public struct DedupeDecision: Sendable, Equatable {
        /// The envelope that owns each key: only that envelope's event may be sent.
        public var owner: [String: String] = [:]
        /// Keys this same envelope registered before (a redelivery after a failure, or a second
        /// copy of the envelope in the streams) that the ledger already records as `sent`:
        /// Meta has them, so they are not sent again.
        public var alreadySent: Set<String> = []

        public init(owner: [String: String] = [:], alreadySent: Set<String> = []) {
            self.owner = owner
            self.alreadySent = alreadySent
        }

        /// Whether `event` may be sent: its envelope owns it and it is not known to be sent.
        public func mayBeSent(_ event: OutboundEvent) -> Bool {
            owner[event.key] == event.envelopeID && !alreadySent.contains(event.key)
        }
    }

    /// Registers events in the dedupe registry and says which may be sent: new ones, and ones
    /// already registered by the *same* envelope (a redelivery after a crash must still send,
    /// with the same event_id) unless the ledger shows that send happened. Keys registered by
    /// another envelope are duplicates.
    public func registerForDedupe(_ events: [OutboundEvent], connection: PostgresConnection) throws -> DedupeDecision {
        guard !events.isEmpty else { return DedupeDecision() }
        if try copyNewKeys(events, connection: connection) {
            // Every key was new: each belongs to the envelope registering it.
            var decision = DedupeDecision()
            for e in events { decision.owner[e.key] = e.envelopeID }
            return decision
        }
        let pixels = events.map(\.pixel), names = events.map(\.eventName), ids = events.map(\.eventID), envs = events.map(\.envelopeID)
        // Keys inserted now belong to the envelope inserted with them (RETURNING says which);
        // only keys that were already there need the look-up — rare, so usually one statement.
        let inserted = try connection.query("""
            INSERT INTO dedupe_registry (pixel_id, event_name, event_id, envelope_id)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
            ON CONFLICT DO NOTHING
            RETURNING pixel_id, event_name, event_id, envelope_id
            """, [.textArray(pixels), .textArray(names), .textArray(ids), .textArray(envs)])
        var decision = DedupeDecision()
        try Self.collectOwners(inserted, into: &decision.owner)
        let fresh = Set(decision.owner.keys)
        let existing = events.filter { decision.owner[$0.key] == nil }
        if !existing.isEmpty {
            let rows = try connection.query("""
                SELECT d.pixel_id, d.event_name, d.event_id, d.envelope_id FROM dedupe_registry d
                JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(p, n, i)
                  ON d.pixel_id = k.p AND d.event_name = k.n AND d.event_id = k.i
                """, [.textArray(existing.map(\.pixel)), .textArray(existing.map(\.eventName)), .textArray(existing.map(\.eventID))])
            try Self.collectOwners(rows, into: &decision.owner)
        }
        // The same envelope again (a redelivery, a second copy): sent already, per the ledger?
        let again = events.filter { decision.owner[$0.key] == $0.envelopeID && !fresh.contains($0.key) }
        if !again.isEmpty {
            let sent = try connection.query("""
                SELECT DISTINCT a.pixel_id, a.event_name, a.event_id FROM dispatch_attempts a
                JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(p, n, i)
                  ON a.event_id = k.i AND a.pixel_id = k.p AND a.event_name = k.n
                WHERE a.outcome = 'sent'
                """, [.textArray(again.map(\.pixel)), .textArray(again.map(\.eventName)), .textArray(again.map(\.eventID))])
            decision.alreadySent = Set(try Self.keys(sent))
        }
        return decision
    }

    /// The common case — no key of the batch registered before, none repeated in it — as one
    /// COPY (about a quarter of Postgres' cost of the `INSERT … SELECT FROM unnest … ON
    /// CONFLICT DO NOTHING RETURNING` below: ~2.4 against ~9.3 µs per key). False, with
    /// nothing inserted, when a key is taken: the caller then takes the general path. Inside
    /// a transaction the COPY runs under a savepoint, so its failure does not doom it.
    private func copyNewKeys(_ events: [OutboundEvent], connection: PostgresConnection) throws -> Bool {
        var seen = Set<String>()
        guard events.allSatisfy({ seen.insert($0.key).inserted }) else { return false }
        let savepoint = connection.isInTransaction
        if savepoint { try connection.execute("SAVEPOINT dedupe_copy") }
        do {
            _ = try connection.copyIn(table: "dedupe_registry", columns: ["pixel_id", "event_name", "event_id", "envelope_id"],
                                      rows: events.map { [.string($0.pixel), .string($0.eventName), .string($0.eventID), .string($0.envelopeID)] })
            if savepoint { try connection.execute("RELEASE SAVEPOINT dedupe_copy") }
            return true
        } catch let error as PostgresError where error.isUniqueViolation {
            if savepoint { try connection.execute("ROLLBACK TO SAVEPOINT dedupe_copy") }
            return false
        }
    }

    /// `OutboundEvent.key` of each row (columns pixel_id, event_name, event_id).
    private static func keys(_ rows: PostgresRows) throws -> [String] {
        try rows.indices.map { i in
            "\(try rows.string(i, "pixel_id") ?? "")|\(try rows.string(i, "event_name") ?? "")|\(try rows.string(i, "event_id") ?? "")"
        }
    }

    /// `pixel|event_name|event_id` → the envelope that registered it ("" when none).
    private static func collectOwners(_ rows: PostgresRows, into owner: inout [String: String]) throws {
        for (i, key) in try keys(rows).enumerated() { owner[key] = try rows.string(i, "envelope_id") ?? "" }
    }

    /// Appends ledger rows with one COPY (the ledger only grows: no conflict is possible).
    public func appendLedger(_ entries: [LedgerEntry], connection: PostgresConnection) throws {
        guard !entries.isEmpty else { return }
        // The rollups count an event's first `sent` row (`sent:<event>`) as it is recorded.
        // Two workers recording `sent` rows of the same event at once (a resend after an
        // unconfirmed attempt) would each miss the other's uncommitted row and both count it.
        // Inside a transaction (as `record` calls this) they take turns per pixel instead,
        // before their rows get ids: the later one sees the earlier one's committed row.
        for pixel in Set(entries.filter { $0.outcome == .sent }.map(\.pixel)).sorted() {
            try connection.query("SELECT pg_advisory_xact_lock($1::int4, hashtext($2))", [.int(Self.sentLedgerLockClass), .string(pixel)])
        }
        try connection.copyIn(
            table: "dispatch_attempts",
            columns: ["event_id", "event_name", "pixel_id", "envelope_id", "conversion_id", "attempt", "request_id",
                      "http_status", "meta_code", "meta_subcode", "meta_message", "fbtrace_id", "latency_ms", "outcome", "payload",
                      "user_data_dropped"],
            rows: entries.map { e in
                [.string(e.eventID), .string(e.eventName), .string(e.pixel), e.envelopeID.map(PostgresValue.string),
                 e.conversionID.map { .int(Int($0)) }, .int(e.attempt), e.requestID.map(PostgresValue.string),
                 e.httpStatus.map(PostgresValue.int), e.metaCode.map(PostgresValue.int), e.metaSubcode.map(PostgresValue.int),
                 e.metaMessage.map(PostgresValue.string), e.fbtraceID.map(PostgresValue.string), e.latencyMs.map(PostgresValue.int),
                 .string(e.outcome.rawValue), e.payload.map(PostgresValue.json),
                 UserDataDrops.ledgerNote(e.userDataDropped).map(PostgresValue.json)]
            })
    }

    /// The advisory lock class (the first key) of "recording a pixel's `sent` rows".
    public static let sentLedgerLockClass = 7_246_001

    /// Stores dead letters (with the reason and what is needed to replay).
    ///
    /// Dead letters hold whatever arrived, and Postgres text cannot hold a NUL byte: NULs become
    /// U+FFFD here (``StorableText``), or one binary stream entry would fail every attempt to
    /// record it and stall the stream behind it (such a payload was never valid JSON, so nothing
    /// replayable is lost).
    public func insertDeadLetters(_ letters: [DeadLetter], connection: PostgresConnection) throws {
        guard !letters.isEmpty else { return }
        let text = { (s: String) in PostgresValue.string(StorableText.storable(s)) }
        try connection.insertBatch(
            table: "dead_letters",
            columns: ["envelope_id", "stream_id", "reason", "detail", "payload", "event_id", "pixel_id"],
            rows: letters.map { d in
                [d.envelopeID.map(text), d.streamEntry.map(text), .string(d.reason.rawValue),
                 text(String(d.detail.prefix(2000))), d.payload.map(text), d.eventID.map(text), d.pixel.map(text)]
            },
            onConflictDoNothing: false)
    }

    /// Stores an authenticated webhook (sealed body) before any parsing, idempotent per envelope.
    public func insertWebhooks(_ envelopes: [Envelope], connection: PostgresConnection) throws {
        let rows: [[PostgresValue?]] = envelopes.compactMap { e in
            guard let w = e.webhook else { return nil }
            return [.string(e.id), .string(w.gateway), .string(w.account), .string(e.tenant),
                    .timestamp(Date(timeIntervalSince1970: Double(e.receivedAt) / 1000)), .string(w.body.text),
                    w.contentType.map(PostgresValue.string), .json(Self.queryJSON(w.query)), .json(Self.headersJSON(w.headers))]
        }
        try Self.insertIgnoringRedelivered(
            table: "webhook_inbox",
            columns: ["envelope_id", "gateway", "account", "tenant_id", "received_at", "body_sealed", "content_type", "query", "headers"],
            rows: rows, connection: connection)
    }

    /// A webhook's query as a JSON array of `[name, value]` pairs.
    static func queryJSON(_ query: [[String]]) -> String {
        var w = JSONWriter(profile: .stored, capacity: 128)
        w.beginArray()
        for pair in query { w.array(pair) }
        w.endArray()
        return w.text
    }

    /// A webhook's headers as a JSON object.
    static func headersJSON(_ headers: [String: String]) -> String {
        var w = JSONWriter(profile: .stored, capacity: 256)
        w.object(headers)
        return w.text
    }
}
