import Foundation

/// `dispatchd privacy erase`: removes or irreversibly anonymises one person's data (LGPD art.
/// 18, VI), leaving counts and aggregates intact and an audit record without the identifiers.
///
/// Postgres, in one transaction: touchpoints lose every personal column (IP, user agent,
/// hashes, cookies, URLs, session); sales lose their hashed buyer and the checkout's metadata;
/// stored raw webhooks are replaced by an empty sealed body; ledger rows keep everything but
/// the event's `user_data` (the ledger's one redaction path, see ``Migrations/privacy``); dead
/// letters lose their payload. Rows stay, so every count, match and rollup stays. Then Redis:
/// the person's events waiting in the retry schedule or parked for a paused pixel are removed
/// (sending them after the request would keep processing the data), and the AOF is rewritten
/// so the log no longer holds what was removed or was written before and since deleted (a retry
/// that succeeded meanwhile). Idempotent: a second run
/// finds nothing more and records a request with zero counts.
public struct PersonalDataEraser: Sendable {
    public let keys: KeyRing
    public let layout: StreamLayout

    public init(keys: KeyRing, layout: StreamLayout) {
        self.keys = keys
        self.layout = layout
    }

    /// What an erasure did, per place, for the operator and the audit row.
    public struct Report: Sendable, CustomStringConvertible {
        public var requestID: Int
        public var counts: [(String, Int)]
        public var description: String {
            "privacy request #\(requestID): " + counts.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        }
    }

    /// Erases `subject` (Postgres, then Redis). Blocking: run on the pool's thread.
    ///
    /// First it waits (up to `drainTimeout`) until dispatchd has processed every entry that was
    /// in the ingest streams when the request started (``StreamDrain``): the person's events
    /// accepted before the request are then stored and erased with the rest, instead of being
    /// stored after the erasure. It fails, erasing nothing, when they are not processed in time.
    public func erase(_ subject: ErasureSubject, requestedBy: String, drainTimeout: Duration = .seconds(300),
                      postgres pg: PostgresConnection, redis: RedisConnection) throws -> Report {
        let drain = StreamDrain(layout: layout)
        try drain.wait(for: try drain.tops(connection: redis), timeout: drainTimeout, connection: redis)
        let normalizer = try Self.normalizer(tenant: subject.tenant, connection: pg)
        let footprint = try PersonalDataFinder(keys: keys).find(subject, normalizer: normalizer, connection: pg)
        let requestID: Int = try pg.transaction { pg in
            let request = try pg.query(
                "INSERT INTO privacy_requests (tenant_id, kind, requested_by) VALUES ($1, 'erase', $2) RETURNING id",
                [.string(subject.tenant), .string(requestedBy)])
            let id = try request.int(0, "id") ?? 0
            func ids(_ values: [Int]) -> PostgresValue { .textArray(values.map(String.init)) }
            try pg.query("UPDATE touchpoints SET \(Self.touchpointAnonymisation) WHERE id = ANY($1::bigint[])", [ids(footprint.touchpointIDs)])
            try pg.query("UPDATE conversions SET buyer = NULL, tracking = tracking - 'metadata' WHERE id = ANY($1::bigint[])",
                         [ids(footprint.conversionIDs)])
            // Each row gets an empty body sealed for its own tenant and envelope, like any body.
            let inbox = try pg.query("SELECT id, envelope_id, tenant_id FROM webhook_inbox WHERE id = ANY($1::bigint[]) FOR UPDATE",
                                     [ids(footprint.inboxIDs)])
            var inboxIDs: [String] = [], emptyBodies: [String] = []
            for i in inbox.indices {
                guard let row = try inbox.int(i, "id"), let envelope = try inbox.string(i, "envelope_id") else { continue }
                let context = SealContext.webhookBody(tenant: try inbox.string(i, "tenant_id") ?? "", envelope: envelope)
                inboxIDs.append(String(row))
                emptyBodies.append(try keys.seal(Data(), for: context).text)
            }
            try pg.query("""
                UPDATE webhook_inbox w SET body_sealed = u.body, query = NULL, headers = NULL, outcome = 'erased',
                       processed_at = coalesce(processed_at, now())
                FROM unnest($1::bigint[], $2::text[]) AS u(id, body) WHERE w.id = u.id
                """, [.textArray(inboxIDs), .textArray(emptyBodies)])
            try LedgerRedaction.removeUserData(ids: footprint.ledgerIDs, audit: .erasure, auditID: id, connection: pg)
            try pg.query("UPDATE dead_letters SET payload = NULL WHERE id = ANY($1::bigint[])", [ids(footprint.deadLetterIDs)])
            try pg.query("DELETE FROM telegram_bot_users WHERE tenant_id = $1 AND user_hash = ANY($2)",
                         [.string(subject.tenant), .textArray(subject.externalIDHashes)])
            try pg.query("UPDATE privacy_requests SET counts = $2 WHERE id = $1", [.int(id), .json(Self.countsJSON(footprint.counts))])
            return id
        }
        let removed = try removeWaitingEvents(subject, footprint: footprint, connection: redis)
        try Self.rewriteAppendOnlyFile(redis)
        let counts = footprint.counts + [("redis_retry_and_parked", removed)]
        try pg.query("UPDATE privacy_requests SET counts = $2, finished_at = now() WHERE id = $1",
                     [.int(requestID), .json(Self.countsJSON(counts))])
        return Report(requestID: requestID, counts: counts)
    }

    /// What anonymising a touchpoint sets (an `UPDATE touchpoints SET` list): every personal
    /// column goes — IP, user agent, hashes, cookies, URLs, session — while its tenant, kind,
    /// time, link and UTMs stay, so counts and attribution stay. Shared with retention.
    public static let touchpointAnonymisation = """
        ip = NULL, user_agent = NULL, em_hash = NULL, ph_hash = NULL, fbp = NULL, fbc = NULL, \
        page_url = NULL, referrer = NULL, session_id = NULL
        """

    /// Removes the person's events from the retry schedule, the in-flight set and the parked
    /// sets: those whose stored event names the person's hashes, event ids or envelopes.
    func removeWaitingEvents(_ subject: ErasureSubject, footprint: PersonFootprint, connection redis: RedisConnection) throws -> Int {
        let schedule = RetrySchedule(layout: layout)
        let doomed = try PersonalDataFinder(keys: keys).waitingEvents(subject, footprint: footprint, layout: layout, connection: redis)
        guard !doomed.isEmpty else { return 0 }
        var commands: [[[UInt8]]] = []
        for d in doomed {
            commands.append(["ZREM", layout.retrySchedule, d.key].map { Array($0.utf8) })
            commands.append(["ZREM", schedule.inflight, d.key].map { Array($0.utf8) })
            commands.append(["ZREM", schedule.parked(d.pixel), d.key].map { Array($0.utf8) })
            commands.append(["HDEL", layout.retryPayloads, d.key].map { Array($0.utf8) })
        }
        let replies = try redis.pipeline(commands)
        if let m = replies.compactMap(\.errorMessage).first { throw RedisError(.server, m) }
        return doomed.count
    }

    /// Asks Redis to rewrite its append-only file from the current data set and waits (up to
    /// two minutes) until it has: the log otherwise keeps the commands that wrote the removed
    /// events. A Redis without an AOF answers at once. A rewrite that cannot start now (one is
    /// running) is scheduled by Redis and still waited for.
    static func rewriteAppendOnlyFile(_ redis: RedisConnection) throws {
        let reply = try redis.command(["BGREWRITEAOF"])
        if let m = reply.errorMessage, !m.contains("already in progress") { throw RedisError(.server, m) }
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let info = try redis.command(["INFO", "persistence"]).text ?? ""
            let busy = info.contains("aof_rewrite_in_progress:1") || info.contains("aof_rewrite_scheduled:1")
            if !busy { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw RedisError(.server, "the append-only file rewrite did not finish within 120 s")
    }

    /// The tenant's normaliser, configured as the dispatch configures it (default country and
    /// calling code from the tenant), so the hashes are the ones that were stored.
    public static func normalizer(tenant: String, connection pg: PostgresConnection) throws -> UserDataNormalizer {
        let row = try pg.query("SELECT default_country_code, default_country FROM tenants WHERE id = $1", [.string(tenant)])
        guard !row.isEmpty else { throw ErasureSubject.Invalid(description: "no tenant \(tenant)") }
        return UserDataNormalizer(defaultCountryCallingCode: try row.string(0, "default_country_code") ?? "55",
                                  defaultCountry: try row.string(0, "default_country") ?? "br")
    }

    static func countsJSON(_ counts: [(String, Int)]) -> String {
        var w = JSONWriter(profile: .stored)
        w.beginObject()
        for (k, v) in counts { w.key(k); w.int(v) }
        w.endObject()
        return w.text
    }
}
