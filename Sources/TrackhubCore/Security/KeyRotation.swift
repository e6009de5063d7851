import Foundation

/// `dispatchd secrets rotate`: re-seals every sealed value at rest in Postgres with the key
/// ring's active key, in bounded batches, while the daemons run; then republishes the ingest
/// snapshot so Redis holds the secrets under the new key too. ``status(connection:redis:)``
/// counts what still refers to each key, so an old key is removed from the key file only
/// when nothing refers to it.
///
/// Safe to stop at any point (kill -9 included) and run again: each batch is one transaction
/// that rewrites only values not yet under the active key, so a second run continues where
/// the first stopped and a finished rotation re-seals nothing. Values are opened with whatever
/// key sealed them and the same context, so old values stay readable throughout.
///
/// Places: pixel access tokens (`pixel.token`), gateway webhook secrets (`gateway.secret`)
/// and API tokens (`gateway.api_token`), the console's configuration versions
/// (`console.secret`), and the stored raw webhook bodies (`envelope.webhook`, the only large
/// one). Ingest stream entries hold sealed user data and bodies too; they are not rewritten
/// (an entry is immutable) and leave with the stream trim (`TRACKHUB_STREAM_RETENTION_MS`),
/// which ``status(connection:redis:)`` shows.
public struct KeyRotation: Sendable {
    public let keys: KeyRing
    public let layout: StreamLayout
    /// Rows re-sealed per transaction.
    public var batchSize: Int

    public init(keys: KeyRing, layout: StreamLayout, batchSize: Int = 500) {
        self.keys = keys
        self.layout = layout
        self.batchSize = max(1, batchSize)
    }

    /// `sealed` under the active key, or nil when it already is (the one decision, pure).
    public func resealed(_ sealed: Sealed, context: String) throws -> Sealed? {
        guard sealed.keyID != keys.activeKeyID else { return nil }
        return try keys.seal(try keys.open(sealed, context: context), context: context)
    }

    /// Re-seals everything in Postgres, reporting each batch through `progress`; returns the
    /// number of values re-sealed per place. Blocking: run on the pool's thread.
    public func rotate(postgres pg: PostgresConnection, redis: RedisConnection,
                       progress: (String, Int) -> Void = { _, _ in }) throws -> [(String, Int)] {
        var done: [(String, Int)] = []
        done.append(("pixels.access_token", try rotatePixels(pg)))
        progress("pixels.access_token", done.last!.1)
        let (secrets, apiTokens) = try rotateGatewayAccounts(pg)
        done.append(("gateway_accounts.secrets", secrets))
        done.append(("gateway_accounts.api_token", apiTokens))
        progress("gateway_accounts", secrets + apiTokens)
        done.append(("ad_accounts.token", try rotateAdAccounts(pg)))
        progress("ad_accounts.token", done.last!.1)
        done.append(("config_versions.secrets", try rotateConfigVersions(pg)))
        progress("config_versions.secrets", done.last!.1)
        var bodies = 0
        while true {
            let n = try rotateInboxBatch(pg)
            if n == 0 { break }
            bodies += n
            progress("webhook_inbox.body_sealed", bodies)
        }
        done.append(("webhook_inbox.body_sealed", bodies))
        try SnapshotCompiler().publish(connection: pg, redis: redis, layout: layout, keys: keys)
        return done
    }

    func rotatePixels(_ pg: PostgresConnection) throws -> Int {
        try pg.transaction { pg in
            let rows = try pg.query("""
                SELECT id, access_token_ciphertext FROM pixels
                WHERE access_token_ciphertext IS NOT NULL AND access_token_key_id <> $1 FOR UPDATE
                """, [.string(keys.activeKeyID)])
            for i in rows.indices {
                guard let id = try rows.string(i, "id"), let text = try rows.string(i, "access_token_ciphertext"),
                      let new = try resealed(Sealed(text: text), context: ConfigApplier.pixelTokenSealContext) else { continue }
                try pg.query("UPDATE pixels SET access_token_ciphertext = $2, access_token_key_id = $3 WHERE id = $1",
                             [.string(id), .string(new.text), .string(keys.activeKeyID)])
            }
            return rows.count
        }
    }

    func rotateAdAccounts(_ pg: PostgresConnection) throws -> Int {
        try pg.transaction { pg in
            let rows = try pg.query("""
                SELECT tenant_id, id, token_ciphertext FROM ad_accounts
                WHERE token_ciphertext IS NOT NULL AND token_key_id <> $1 FOR UPDATE
                """, [.string(keys.activeKeyID)])
            for i in rows.indices {
                guard let tenant = try rows.string(i, "tenant_id"), let id = try rows.string(i, "id"),
                      let text = try rows.string(i, "token_ciphertext"),
                      let new = try resealed(Sealed(text: text), context: AdAccountStore.tokenSealContext) else { continue }
                try pg.query("UPDATE ad_accounts SET token_ciphertext = $3, token_key_id = $4 WHERE tenant_id = $1 AND id = $2",
                             [.string(tenant), .string(id), .string(new.text), .string(keys.activeKeyID)])
            }
            return rows.count
        }
    }

    func rotateGatewayAccounts(_ pg: PostgresConnection) throws -> (secrets: Int, apiTokens: Int) {
        try pg.transaction { pg in
            let rows = try pg.query("SELECT gateway, account, secrets::text AS secrets, api_token_ciphertext FROM gateway_accounts FOR UPDATE")
            var secrets = 0, apiTokens = 0
            for i in rows.indices {
                let gateway = try rows.string(i, "gateway") ?? "", account = try rows.string(i, "account") ?? ""
                let list = (try? JSONDecoder().decode([String].self, from: Data((try rows.string(i, "secrets") ?? "[]").utf8))) ?? []
                var changed = false
                let newList = try list.map { text -> String in
                    guard let new = try resealed(Sealed(text: text), context: IngestSnapshot.secretSealContext) else { return text }
                    changed = true
                    secrets += 1
                    return new.text
                }
                if changed {
                    try pg.query("UPDATE gateway_accounts SET secrets = $3 WHERE gateway = $1 AND account = $2",
                                 [.string(gateway), .string(account), try .jsonEncoded(newList)])
                }
                if let text = try rows.string(i, "api_token_ciphertext"),
                   let new = try resealed(Sealed(text: text), context: ConfigApplier.apiTokenSealContext) {
                    try pg.query("UPDATE gateway_accounts SET api_token_ciphertext = $3, api_token_key_id = $4 WHERE gateway = $1 AND account = $2",
                                 [.string(gateway), .string(account), .string(new.text), .string(keys.activeKeyID)])
                    apiTokens += 1
                }
            }
            return (secrets, apiTokens)
        }
    }

    func rotateConfigVersions(_ pg: PostgresConnection) throws -> Int {
        try pg.transaction { pg in
            let rows = try pg.query("""
                SELECT id, document -> 'secrets' AS secrets FROM config_versions
                WHERE jsonb_typeof(document -> 'secrets') = 'object' FOR UPDATE
                """)
            var n = 0
            for i in rows.indices {
                guard let id = try rows.int(i, "id"),
                      let map = try? JSONDecoder().decode([String: String].self, from: Data((try rows.string(i, "secrets") ?? "{}").utf8))
                else { continue }
                var changed = false
                var newMap: [String: String] = [:]
                for (name, text) in map {
                    if let new = try resealed(Sealed(text: text), context: TenantConfigDocument.sealContext) {
                        newMap[name] = new.text
                        changed = true
                        n += 1
                    } else {
                        newMap[name] = text
                    }
                }
                if changed {
                    try pg.query("UPDATE config_versions SET document = jsonb_set(document, '{secrets}', $2) WHERE id = $1",
                                 [.int(id), try .jsonEncoded(newMap)])
                }
            }
            return n
        }
    }

    /// One batch of stored webhook bodies not yet under the active key; returns how many.
    func rotateInboxBatch(_ pg: PostgresConnection) throws -> Int {
        try pg.transaction { pg in
            let rows = try pg.query("""
                SELECT id, body_sealed FROM webhook_inbox WHERE body_sealed NOT LIKE $1
                ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
                """, [.string("v1.\(keys.activeKeyID).%"), .int(batchSize)])
            var ids: [String] = [], bodies: [String] = []
            for i in rows.indices {
                guard let id = try rows.int(i, "id"), let text = try rows.string(i, "body_sealed"),
                      let new = try resealed(Sealed(text: text), context: Envelope.webhookSealContext) else { continue }
                ids.append(String(id))
                bodies.append(new.text)
            }
            if !ids.isEmpty {
                try pg.query("""
                    UPDATE webhook_inbox w SET body_sealed = u.body
                    FROM unnest($1::bigint[], $2::text[]) AS u(id, body) WHERE w.id = u.id
                    """, [.textArray(ids), .textArray(bodies)])
            }
            return ids.count
        }
    }

    /// How many values each key id still seals, per place (Postgres, the published snapshot,
    /// the ingest streams). A key absent from every line can be removed from the key file.
    public func status(connection pg: PostgresConnection, redis: RedisConnection) throws -> [(place: String, keyID: String, count: Int)] {
        var out: [(String, String, Int)] = []
        let grouped = try pg.query("""
            SELECT 'pixels.access_token' AS place, access_token_key_id AS k, count(*)::int AS n FROM pixels
                WHERE access_token_key_id IS NOT NULL GROUP BY 2
            UNION ALL
            SELECT 'gateway_accounts.api_token', api_token_key_id, count(*)::int FROM gateway_accounts
                WHERE api_token_key_id IS NOT NULL GROUP BY 2
            UNION ALL
            SELECT 'ad_accounts.token', token_key_id, count(*)::int FROM ad_accounts
                WHERE token_key_id IS NOT NULL GROUP BY 2
            UNION ALL
            SELECT 'gateway_accounts.secrets', split_part(s, '.', 2), count(*)::int
                FROM gateway_accounts, jsonb_array_elements_text(secrets) AS s GROUP BY 2
            UNION ALL
            SELECT 'config_versions.secrets', split_part(s.value, '.', 2), count(*)::int
                FROM config_versions, jsonb_each_text(CASE WHEN jsonb_typeof(document -> 'secrets') = 'object'
                                                           THEN document -> 'secrets' ELSE '{}' END) AS s GROUP BY 2
            UNION ALL
            SELECT 'webhook_inbox.body_sealed', split_part(body_sealed, '.', 2), count(*)::int FROM webhook_inbox GROUP BY 2
            ORDER BY 1, 2
            """)
        for i in grouped.indices {
            out.append((try grouped.string(i, "place") ?? "", try grouped.string(i, "k") ?? "", try grouped.int(i, "n") ?? 0))
        }
        let snapshot = try redis.command(["GET", layout.configSnapshot]).text ?? ""
        for key in keys.keys.map(\.id) {
            let n = snapshot.components(separatedBy: "v1.\(key).").count - 1
            if n > 0 { out.append(("redis.config_snapshot", key, n)) }
        }
        for stream in layout.allStreams {
            var counts: [String: Int] = [:]
            var start = "-"
            while true {
                let reply = try redis.command(["XRANGE", stream, start, "+", "COUNT", "1000"])
                let entries = reply.elements
                if entries.isEmpty { break }
                for entry in entries {
                    let text = entry.elements.dropFirst().first?.elements.compactMap(\.text).joined(separator: " ") ?? ""
                    for key in keys.keys.map(\.id) where text.contains("v1.\(key).") { counts[key, default: 0] += 1 }
                }
                guard let last = entries.last?.elements.first?.text else { break }
                start = "(" + last
                if entries.count < 1000 { break }
            }
            for (key, n) in counts.sorted(by: { $0.key < $1.key }) { out.append(("redis.\(stream)", key, n)) }
        }
        return out
    }
}
