public import Foundation

extension PostgresInsightStore: LedgerReader {
    public func searchNormalizers(scope: InsightScope) async throws -> [UserDataNormalizer] {
        let param = Self.scopeParameter(scope)
        return try await postgres.withConnection { pg in
            let r = try pg.query("""
                SELECT DISTINCT default_country_code, default_country FROM tenants
                WHERE \(Self.tenantInScope("id", 1)) ORDER BY 1, 2
                """, [param])
            let found = try r.indices.map {
                UserDataNormalizer(defaultCountryCallingCode: try r.string($0, "default_country_code") ?? "55",
                                   defaultCountry: try r.string($0, "default_country") ?? "br")
            }
            return found.isEmpty ? [UserDataNormalizer()] : found
        }
    }

    public func search(_ query: LedgerSearchQuery, scope: InsightScope, limit: Int) async throws -> LedgerSearchResult {
        guard query.kind != .empty else { return LedgerSearchResult(query: query) }
        let scopeParam = Self.scopeParameter(scope)
        let limit = max(1, limit)
        return try await postgres.withConnection { pg in
            let identifier = query.identifier.map(PostgresValue.string)
            let emails = PostgresValue.textArray(query.emailHashes)
            let phones = PostgresValue.textArray(query.phoneHashes)
            let sales = try Self.sales(pg, where: """
                c.id IN (SELECT id FROM conversions WHERE transaction_id = $1
                         UNION SELECT m.conversion_id FROM matches m JOIN touchpoints t ON t.id = m.touchpoint_id
                               WHERE t.click_id = $1 OR t.em_hash = ANY($2::text[]) OR t.ph_hash = ANY($3::text[])
                         UNION SELECT id FROM conversions WHERE buyer -> 'em' ?| $2::text[]
                         UNION SELECT id FROM conversions WHERE buyer -> 'ph' ?| $3::text[])
                AND \(Self.tenantInScope("c.tenant_id", 4))
                """, [identifier, emails, phones, scopeParam], limit: limit + 1)
            let touchpoints = try Self.touchpoints(pg, where: """
                (t.click_id = $1 OR t.em_hash = ANY($2::text[]) OR t.ph_hash = ANY($3::text[]))
                AND \(Self.tenantInScope("t.tenant_id", 4))
                """, [identifier, emails, phones, scopeParam], limit: limit + 1)
            let attemptLimit = (limit + 1) * 20
            let attempts = LedgerAttempt.settled(try Self.attempts(pg, where: """
                (a.event_id = $1 OR a.event_id = ANY($2::text[]) OR a.conversion_id = ANY($3::bigint[]))
                AND \(Self.pixelInScope("a.pixel_id", 4))
                """, [identifier, .textArray(touchpoints.map(\.eventID)), .textArray(sales.map { String($0.id) }), scopeParam],
                limit: attemptLimit, payload: false))
            let events = LedgerEventSummary.summarize(attempts)
            return LedgerSearchResult(query: query, events: Array(events.prefix(limit)), sales: Array(sales.prefix(limit)),
                                      touchpoints: Array(touchpoints.prefix(limit)),
                                      truncated: events.count > limit || sales.count > limit || touchpoints.count > limit
                                          || attempts.count >= attemptLimit)
        }
    }

    public func event(_ key: LedgerEventKey, scope: InsightScope) async throws -> LedgerEventDetail? {
        let scopeParam = Self.scopeParameter(scope)
        let admin = self.admin
        return try await postgres.withConnection { pg in
            let attempts = LedgerAttempt.settled(try Self.attempts(pg, where: """
                a.event_id = $1 AND a.pixel_id = $2 AND a.event_name = $3 AND \(Self.pixelInScope("a.pixel_id", 4))
                """, [.string(key.eventID), .string(key.pixel), .string(key.eventName), scopeParam], limit: 1000, payload: true))
            guard !attempts.isEmpty else { return nil }
            var sale: LedgerSale?
            if let conversionID = attempts.lazy.compactMap(\.conversionID).first {
                sale = try Self.sales(pg, where: "c.id = $1", [.int(Int(conversionID))], limit: 1).first
            }
            var touchpoint: LedgerTouchpoint?
            if let sale {
                // The click it was matched to: the link and the ad (UTMs) that brought the sale.
                touchpoint = try Self.touchpoints(pg, where: "t.id = (SELECT touchpoint_id FROM matches WHERE conversion_id = $1)",
                                                  [.int(Int(sale.id))], limit: 1).first
            } else if let envelopeID = attempts.lazy.compactMap(\.envelopeID).first {
                touchpoint = try Self.touchpoints(pg, where: "t.envelope_id = $1", [.string(envelopeID)], limit: 1).first
            }
            let letters = try pg.query("""
                SELECT id, reason, detail, event_id, pixel_id, envelope_id, stream_id, payload, created_at FROM dead_letters d
                WHERE d.event_id = $1 AND d.pixel_id = $2 ORDER BY d.id
                """, [.string(key.eventID), .string(key.pixel)])
            let now = Date()
            let deadLetters = try Self.deadLetterRows(letters).map { DeadLetterEntry($0, admin: admin, now: now) }
            return LedgerEventDetail(key: key, attempts: attempts, sale: sale, touchpoint: touchpoint, deadLetters: deadLetters)
        }
    }

    // MARK: Row readers (shared with the other readers)

    static func sales(_ pg: PostgresConnection, where condition: String, _ params: [PostgresValue?], limit: Int) throws -> [LedgerSale] {
        let r = try pg.query("""
            SELECT c.id, c.tenant_id, c.gateway, c.account, c.transaction_id, c.status, c.value::text AS value, c.currency,
                   c.occurred_at, c.created_at, c.tracking::text AS tracking, c.product_ids, m.method, t.click_id AS matched_click_id
            FROM conversions c
            LEFT JOIN matches m ON m.conversion_id = c.id
            LEFT JOIN touchpoints t ON t.id = m.touchpoint_id
            WHERE \(condition)
            ORDER BY c.occurred_at DESC, c.id DESC LIMIT \(limit)
            """, params)
        let decoder = JSONDecoder()
        return try r.indices.map { i in
            let tracking = try r.string(i, "tracking").flatMap { try? decoder.decode(TrackingParameters.self, from: Data($0.utf8)) }
            return LedgerSale(
                id: Int64(try r.int(i, "id") ?? 0), tenant: try r.string(i, "tenant_id") ?? "", gateway: try r.string(i, "gateway") ?? "",
                account: try r.string(i, "account") ?? "", transactionID: try r.string(i, "transaction_id") ?? "",
                status: try r.string(i, "status") ?? "", value: try r.string(i, "value"), currency: try r.string(i, "currency"),
                occurredAt: try r.date(i, "occurred_at") ?? Date(timeIntervalSince1970: 0),
                recordedAt: try r.date(i, "created_at") ?? Date(timeIntervalSince1970: 0),
                matchMethod: try r.string(i, "method"), matchedClickID: try r.string(i, "matched_click_id"),
                carriedValues: tracking?.clickIDCandidates ?? [], carriedClickIDs: tracking?.clickIDs ?? [],
                productIDs: (try r.textArray(i, "product_ids") ?? []).compactMap { $0 }.filter { !$0.isEmpty })
        }
    }

    static func touchpoints(_ pg: PostgresConnection, where condition: String, _ params: [PostgresValue?], limit: Int) throws -> [LedgerTouchpoint] {
        let r = try pg.query("""
            SELECT t.id, t.tenant_id, t.kind, t.click_id,
                   coalesce(t.event_id, CASE WHEN t.kind = 'click' THEN t.click_id END, 'th.' || t.envelope_id) AS sent_event_id,
                   t.occurred_at, t.consent, t.link_slug, t.utm::text AS utm, t.page_url
            FROM touchpoints t WHERE \(condition)
            ORDER BY t.occurred_at DESC, t.id DESC LIMIT \(limit)
            """, params)
        return try r.indices.map { i in
            LedgerTouchpoint(id: Int64(try r.int(i, "id") ?? 0), tenant: try r.string(i, "tenant_id") ?? "",
                             kind: try r.string(i, "kind") ?? "", clickID: try r.string(i, "click_id"),
                             eventID: try r.string(i, "sent_event_id") ?? "",
                             occurredAt: try r.date(i, "occurred_at") ?? Date(timeIntervalSince1970: 0),
                             consent: try r.bool(i, "consent") ?? true, linkSlug: try r.string(i, "link_slug"),
                             utm: try r.string(i, "utm").flatMap { JSONValue.parse($0)?.stringMembers } ?? [:],
                             pageURL: try r.string(i, "page_url"))
        }
    }

    /// Which order "newest first" uses: the row id (exact write order), or the time (what a
    /// `(pixel_id, created_at)` index serves without walking the whole ledger backwards).
    enum AttemptOrder { case id, createdAt }

    static func attempts(_ pg: PostgresConnection, where condition: String, _ params: [PostgresValue?], limit: Int,
                         payload: Bool, newestFirst order: AttemptOrder = .id) throws -> [LedgerAttempt] {
        let r = try pg.query("""
            SELECT a.id, a.event_id, a.event_name, a.pixel_id, a.envelope_id, a.conversion_id, a.attempt, a.request_id,
                   a.http_status, a.meta_code, a.meta_subcode, a.meta_message, a.fbtrace_id, a.latency_ms, a.outcome,
                   a.created_at\(payload ? ", a.payload::text AS payload, a.user_data_dropped::text AS user_data_dropped" : "")
            FROM dispatch_attempts a WHERE \(condition)
            ORDER BY \(order == .id ? "a.id DESC" : "a.created_at DESC, a.id DESC") LIMIT \(limit)
            """, params)
        return try r.indices.map { i in
            var attempt = LedgerAttempt(
                id: Int64(try r.int(i, "id") ?? 0),
                key: LedgerEventKey(pixel: try r.string(i, "pixel_id") ?? "", eventName: try r.string(i, "event_name") ?? "",
                                    eventID: try r.string(i, "event_id") ?? ""),
                envelopeID: try r.string(i, "envelope_id"), conversionID: try r.int(i, "conversion_id").map(Int64.init),
                attempt: try r.int(i, "attempt") ?? 1, outcome: try r.string(i, "outcome") ?? "",
                requestID: try r.string(i, "request_id"), httpStatus: try r.int(i, "http_status"),
                metaCode: try r.int(i, "meta_code"), metaSubcode: try r.int(i, "meta_subcode"),
                metaMessage: try r.string(i, "meta_message"), fbtraceID: try r.string(i, "fbtrace_id"),
                latencyMs: try r.int(i, "latency_ms"), at: try r.date(i, "created_at") ?? Date(timeIntervalSince1970: 0),
                payload: payload ? try r.string(i, "payload") : nil)
            if payload, let note = try r.string(i, "user_data_dropped") {
                attempt.userDataDropped = (JSONValue.parse(Array(note.utf8))?.arrayElements ?? []).compactMap { element -> String? in
                    if case .string(let field)? = element.objectMembers?["field"] { return field }
                    return nil
                }
            }
            return attempt
        }
    }

    static func deadLetterRows(_ r: PostgresRows) throws -> [DeadLetterAdmin.Row] {
        try r.indices.map { i in
            DeadLetterAdmin.Row(
                id: try r.int(i, "id") ?? 0, reason: try r.string(i, "reason") ?? "", detail: try r.string(i, "detail") ?? "",
                eventID: try r.string(i, "event_id"), pixel: try r.string(i, "pixel_id"), envelopeID: try r.string(i, "envelope_id"),
                streamEntry: try r.string(i, "stream_id"), payload: try r.string(i, "payload"), createdAt: try r.date(i, "created_at"))
        }
    }
}
