import Foundation

/// Set-based statements for a batch of sales: one statement per step for the whole batch
/// instead of one per sale (each sale used to cost four statements committed one by one, which
/// made sales the slowest path of dispatchd — docs/PERFORMANCE.md).
extension SalesStore {
    /// One conversion of a batch, ready to be stored.
    public struct ConversionRow: Sendable {
        public var conversion: Conversion
        public var tenant: String
        public var buyerHashedJSON: String
        public var envelopeID: String

        public init(conversion: Conversion, tenant: String, buyerHashedJSON: String, envelopeID: String) {
            self.conversion = conversion
            self.tenant = tenant
            self.buyerHashedJSON = buyerHashedJSON
            self.envelopeID = envelopeID
        }

        /// The conversion's unique key (gateway, account, transaction, status).
        var key: String {
            "\(conversion.gateway.rawValue)\u{1}\(conversion.account)\u{1}\(conversion.transactionID)\u{1}\(conversion.status.rawValue)"
        }
    }

    /// Stores the conversions (unique per gateway + account + transaction + status) in one
    /// statement; returns each row's id, in the order given (a repeated delivery gets the
    /// existing id; two rows of the same key in one batch get the same id, the first one's
    /// data stored).
    public func upsertConversions(_ rows: [ConversionRow], connection: PostgresConnection) throws -> [Int64] {
        guard !rows.isEmpty else { return [] }
        var firstOfKey: [String: Int] = [:]
        var unique: [ConversionRow] = []
        for row in rows where firstOfKey[row.key] == nil {
            firstOfKey[row.key] = unique.count
            unique.append(row)
        }
        func column(_ value: (ConversionRow) -> String) -> PostgresValue { .textArray(unique.map(value)) }
        let result = try connection.query("""
            INSERT INTO conversions (gateway, account, transaction_id, status, tenant_id, value, currency, payment_method,
                                     buyer, product_ids, tracking, occurred_at, envelope_id, raw_event_type)
            SELECT g, a, t, s, tn, v::numeric, cu, pm, b::jsonb, p::text[], tr::jsonb, o::timestamptz, e, r
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
                 AS x(g, a, t, s, tn, v, cu, pm, b, p, tr, o, e, r)
            ON CONFLICT (gateway, account, transaction_id, status) DO UPDATE SET gateway = EXCLUDED.gateway
            RETURNING id, gateway, account, transaction_id, status
            """, [
                column { $0.conversion.gateway.rawValue }, column { $0.conversion.account }, column { $0.conversion.transactionID },
                column { $0.conversion.status.rawValue }, column { $0.tenant }, column { "\($0.conversion.value)" },
                column { $0.conversion.currency }, column { $0.conversion.paymentMethod.rawValue }, column { $0.buyerHashedJSON },
                column { PostgresText.encodeTextArray($0.conversion.productIDs) }, column { Self.trackingJSON($0.conversion.tracking) },
                try .textArray(unique.map { try PostgresValue.timestamp($0.conversion.occurredAt).encodedText() }),
                column { $0.envelopeID }, column { $0.conversion.rawEventType },
            ])
        var idOfKey: [String: Int64] = [:]
        for i in result.indices {
            let key = [try result.string(i, "gateway"), try result.string(i, "account"), try result.string(i, "transaction_id"),
                       try result.string(i, "status")].map { $0 ?? "" }.joined(separator: "\u{1}")
            idOfKey[key] = Int64(try result.int(i, "id") ?? 0)
        }
        return try rows.map { row in
            guard let id = idOfKey[row.key] else {
                throw PostgresError(.unexpectedResult, "the conversion upsert returned no id for a row")
            }
            return id
        }
    }

    /// One match to record (see ``insertMatches(_:connection:)``).
    public struct MatchRow: Sendable, Equatable {
        public var conversionID: Int64
        public var touchpointID: Int64
        public var method: String
        public var score: Double

        public init(conversionID: Int64, touchpointID: Int64, method: String, score: Double) {
            self.conversionID = conversionID; self.touchpointID = touchpointID; self.method = method; self.score = score
        }
    }

    /// Records matches in one statement; per conversion the best of the batch is kept, and it
    /// replaces a stored match only when it scores higher (a late click after an email match
    /// replaces it; a worse or equal one does not).
    public func insertMatches(_ matches: [MatchRow], connection: PostgresConnection) throws {
        var best: [Int64: MatchRow] = [:]
        for m in matches where (best[m.conversionID]?.score ?? -1) < m.score { best[m.conversionID] = m }
        guard !best.isEmpty else { return }
        let rows = best.values.sorted { $0.conversionID < $1.conversionID }
        try connection.query("""
            INSERT INTO matches (conversion_id, touchpoint_id, method, score)
            SELECT c::bigint, t::bigint, m, s::float8 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(c, t, m, s)
            ON CONFLICT (conversion_id) DO UPDATE
              SET touchpoint_id = EXCLUDED.touchpoint_id, method = EXCLUDED.method, score = EXCLUDED.score, created_at = now()
              WHERE matches.score < EXCLUDED.score
            """, [.textArray(rows.map { String($0.conversionID) }), .textArray(rows.map { String($0.touchpointID) }),
                  .textArray(rows.map(\.method)), .textArray(rows.map { PostgresText.encodeDouble($0.score) })])
    }

    /// Sets the inbox outcome of several webhooks in one statement (envelope id → outcome; the
    /// last outcome given for an envelope wins).
    public func markInboxes(_ outcomes: [(envelopeID: String, outcome: String)], connection: PostgresConnection) throws {
        var last: [String: String] = [:]
        for o in outcomes { last[o.envelopeID] = String(o.outcome.prefix(500)) }
        guard !last.isEmpty else { return }
        let ids = last.keys.sorted()
        try connection.query("""
            UPDATE webhook_inbox w SET processed_at = now(), outcome = x.o
            FROM unnest($1::text[], $2::text[]) AS x(e, o) WHERE w.envelope_id = x.e
            """, [.textArray(ids), .textArray(ids.map { last[$0] ?? "" })])
    }
}
