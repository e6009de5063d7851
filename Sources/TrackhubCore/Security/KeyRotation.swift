import Foundation

/// `dispatchd secrets rotate`: re-seals every sealed value at rest in Postgres with the key
/// ring's active key and in the bound form (``SealContext``: purpose, tenant and record), in
/// bounded batches, while the daemons run; then republishes the ingest snapshot so Redis holds
/// the secrets under the new key too. ``status(connection:redis:)`` counts what still refers to
/// each key and what is still in the purpose-only form, so an old key is removed from the key
/// file, and the purpose-only fallback turned off, only when nothing needs them.
///
/// Safe to stop at any point (kill -9 included) and run again: each batch is one transaction
/// that rewrites only values not yet bound under the active key, so a second run continues
/// where the first stopped and a finished rotation re-seals nothing. Values are opened with
/// whatever key sealed them, for their own record (a purpose-only value by its purpose), so old
/// values stay readable throughout.
///
/// Places: pixel access tokens (`pixel.token`), gateway webhook secrets (`gateway.secret`)
/// and API tokens (`gateway.api_token`), ad account tokens, the console's configuration
/// versions (`console.secret`), the alert chats' bot tokens, and the stored raw webhook bodies
/// (`envelope.webhook`, the only large one). Ingest stream entries hold sealed user data and
/// bodies too; they are not rewritten (an entry is immutable) and leave with the stream trim
/// (`TRACKHUB_STREAM_RETENTION_MS`), which ``status(connection:redis:)`` shows.
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

    /// The prefix of a value that needs nothing: bound and under the active key (`v2.KEY.`).
    public var donePrefix: String { "\(Sealed.Form.bound.prefix).\(keys.activeKeyID)." }

    /// `sealed` bound to `context` under the active key, or nil when it already is (the one
    /// decision, pure). Throws when it does not open for `context` (another record's value).
    public func resealed(_ sealed: Sealed, for context: SealContext) throws -> Sealed? {
        guard sealed.keyID != keys.activeKeyID || sealed.form != .bound else { return nil }
        return try keys.seal(try keys.open(sealed, for: context), for: context)
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
        done.append(("alert_telegram_chats.bot_token", try rotateAlertChats(pg)))
        progress("alert_telegram_chats.bot_token", done.last!.1)
        var bodies = 0
        var cursor = 0
        while true {
            let (n, last) = try rotateInboxBatch(pg, after: cursor)
            guard let last else { break }
            cursor = last
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
                SELECT id, tenant_id, access_token_ciphertext FROM pixels
                WHERE access_token_ciphertext IS NOT NULL AND NOT starts_with(access_token_ciphertext, $1) FOR UPDATE
                """, [.string(donePrefix)])
            var n = 0
            for i in rows.indices {
                guard let id = try rows.string(i, "id"), let text = try rows.string(i, "access_token_ciphertext"),
                      let new = try resealed(Sealed(text: text), for: .pixelToken(tenant: try rows.string(i, "tenant_id") ?? "", pixel: id))
                else { continue }
                try pg.query("UPDATE pixels SET access_token_ciphertext = $2, access_token_key_id = $3 WHERE id = $1",
                             [.string(id), .string(new.text), .string(keys.activeKeyID)])
                n += 1
            }
            return n
        }
    }

    func rotateAdAccounts(_ pg: PostgresConnection) throws -> Int {
        try pg.transaction { pg in
            let rows = try pg.query("""
                SELECT tenant_id, id, token_ciphertext FROM ad_accounts
                WHERE token_ciphertext IS NOT NULL AND NOT starts_with(token_ciphertext, $1) FOR UPDATE
                """, [.string(donePrefix)])
            var n = 0
            for i in rows.indices {
                guard let tenant = try rows.string(i, "tenant_id"), let id = try rows.string(i, "id"),
                      let text = try rows.string(i, "token_ciphertext"),
                      let new = try resealed(Sealed(text: text), for: .adAccountToken(tenant: tenant, account: id)) else { continue }
                try pg.query("UPDATE ad_accounts SET token_ciphertext = $3, token_key_id = $4 WHERE tenant_id = $1 AND id = $2",
                             [.string(tenant), .string(id), .string(new.text), .string(keys.activeKeyID)])
                n += 1
            }
            return n
        }
    }

    func rotateGatewayAccounts(_ pg: PostgresConnection) throws -> (secrets: Int, apiTokens: Int) {
        try pg.transaction { pg in
            let rows = try pg.query("SELECT gateway, account, tenant_id, secrets::text AS secrets, api_token_ciphertext FROM gateway_accounts FOR UPDATE")
            var secrets = 0, apiTokens = 0
            for i in rows.indices {
                let gateway = try rows.string(i, "gateway") ?? "", account = try rows.string(i, "account") ?? ""
                let tenant = try rows.string(i, "tenant_id") ?? ""
                let list = (try? JSONDecoder().decode([String].self, from: Data((try rows.string(i, "secrets") ?? "[]").utf8))) ?? []
                var changed = false
                let secretContext = SealContext.gatewaySecret(tenant: tenant, gateway: gateway, account: account)
                let newList = try list.map { text -> String in
                    guard let new = try resealed(Sealed(text: text), for: secretContext) else { return text }
                    changed = true
                    secrets += 1
                    return new.text
                }
                if changed {
                    try pg.query("UPDATE gateway_accounts SET secrets = $3 WHERE gateway = $1 AND account = $2",
                                 [.string(gateway), .string(account), try .jsonEncoded(newList)])
                }
                if let text = try rows.string(i, "api_token_ciphertext"),
                   let new = try resealed(Sealed(text: text), for: .gatewayAPIToken(tenant: tenant, gateway: gateway, account: account)) {
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
                SELECT id, tenant_id, document -> 'secrets' AS secrets FROM config_versions
                WHERE jsonb_typeof(document -> 'secrets') = 'object' FOR UPDATE
                """)
            var n = 0
            for i in rows.indices {
                guard let id = try rows.int(i, "id"), let tenant = try rows.string(i, "tenant_id"),
                      let map = try? JSONDecoder().decode([String: String].self, from: Data((try rows.string(i, "secrets") ?? "{}").utf8))
                else { continue }
                var changed = false
                var newMap: [String: String] = [:]
                for (name, text) in map {
                    if let new = try resealed(Sealed(text: text), for: .consoleSecret(tenant: tenant, variable: name)) {
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

    func rotateAlertChats(_ pg: PostgresConnection) throws -> Int {
        try pg.transaction { pg in
            let rows = try pg.query("""
                SELECT scope, bot_token_ciphertext FROM alert_telegram_chats
                WHERE NOT starts_with(bot_token_ciphertext, $1) FOR UPDATE
                """, [.string(donePrefix)])
            var n = 0
            for i in rows.indices {
                guard let scope = try rows.string(i, "scope"), let text = try rows.string(i, "bot_token_ciphertext"),
                      let new = try resealed(Sealed(text: text), for: .alertBotToken(scope: scope)) else { continue }
                try pg.query("UPDATE alert_telegram_chats SET bot_token_ciphertext = $2 WHERE scope = $1", [.string(scope), .string(new.text)])
                n += 1
            }
            return n
        }
    }

    /// One batch of stored webhook bodies after `cursor` not yet bound under the active key:
    /// how many were re-sealed and the last id looked at (nil when none was left).
    func rotateInboxBatch(_ pg: PostgresConnection, after cursor: Int) throws -> (resealed: Int, last: Int?) {
        try pg.transaction { pg in
            let rows = try pg.query("""
                SELECT id, envelope_id, tenant_id, body_sealed FROM webhook_inbox
                WHERE id > $3 AND NOT starts_with(body_sealed, $1)
                ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
                """, [.string(donePrefix), .int(batchSize), .int(cursor)])
            var ids: [String] = [], bodies: [String] = []
            var last: Int?
            for i in rows.indices {
                guard let id = try rows.int(i, "id") else { continue }
                last = id
                let context = SealContext.webhookBody(tenant: try rows.string(i, "tenant_id") ?? "", envelope: try rows.string(i, "envelope_id") ?? "")
                guard let text = try rows.string(i, "body_sealed"), let new = try resealed(Sealed(text: text), for: context) else { continue }
                ids.append(String(id))
                bodies.append(new.text)
            }
            if !ids.isEmpty {
                try pg.query("""
                    UPDATE webhook_inbox w SET body_sealed = u.body
                    FROM unnest($1::bigint[], $2::text[]) AS u(id, body) WHERE w.id = u.id
                    """, [.textArray(ids), .textArray(bodies)])
            }
            return (ids.count, last)
        }
    }

    /// One line of ``status(connection:redis:)``: how many values of `place` `keyID` seals in `form`.
    public struct StatusLine: Sendable, Equatable {
        public var place: String
        public var keyID: String
        public var form: Sealed.Form
        public var count: Int
    }

    /// How many values each key id still seals, and in which form, per place (Postgres, dead
    /// letters not yet replayed, the published snapshot, the ingest streams, the Telegram
    /// forward queue). A key absent from every line can be removed
    /// from the key file; with no purpose-only line left the fallback can be refused.
    public func status(connection pg: PostgresConnection, redis: RedisConnection) throws -> [StatusLine] {
        var out: [StatusLine] = []
        let grouped = try pg.query("""
            SELECT place, split_part(v, '.', 2) AS k, split_part(v, '.', 1) AS f, count(*)::int AS n FROM (
                SELECT 'pixels.access_token' AS place, access_token_ciphertext AS v FROM pixels WHERE access_token_ciphertext IS NOT NULL
                UNION ALL
                SELECT 'gateway_accounts.api_token', api_token_ciphertext FROM gateway_accounts WHERE api_token_ciphertext IS NOT NULL
                UNION ALL
                SELECT 'ad_accounts.token', token_ciphertext FROM ad_accounts WHERE token_ciphertext IS NOT NULL
                UNION ALL
                SELECT 'gateway_accounts.secrets', s FROM gateway_accounts, jsonb_array_elements_text(secrets) AS s
                UNION ALL
                SELECT 'config_versions.secrets', s.value
                    FROM config_versions, jsonb_each_text(CASE WHEN jsonb_typeof(document -> 'secrets') = 'object'
                                                               THEN document -> 'secrets' ELSE '{}' END) AS s
                UNION ALL
                SELECT 'alert_telegram_chats.bot_token', bot_token_ciphertext FROM alert_telegram_chats
                UNION ALL
                SELECT 'webhook_inbox.body_sealed', body_sealed FROM webhook_inbox
            ) AS sealed GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """)
        for i in grouped.indices {
            guard let form = Sealed.Form(prefix: Substring(try grouped.string(i, "f") ?? "")) else { continue }
            out.append(StatusLine(place: try grouped.string(i, "place") ?? "", keyID: try grouped.string(i, "k") ?? "",
                                  form: form, count: try grouped.int(i, "n") ?? 0))
        }
        let snapshot = try redis.command(["GET", layout.configSnapshot]).text ?? ""
        for key in keys.keys.map(\.id) {
            for form in Sealed.Form.allCases {
                let n = snapshot.components(separatedBy: "\(form.prefix).\(key).").count - 1
                if n > 0 { out.append(StatusLine(place: "redis.config_snapshot", keyID: key, form: form, count: n)) }
            }
        }
        for stream in layout.allStreams {
            var counts: [String: Int] = [:]
            var start = "-"
            while true {
                let reply = try redis.command(["XRANGE", stream, start, "+", "COUNT", "1000"])
                let entries = reply.elements
                if entries.isEmpty { break }
                for entry in entries {
                    tally(entry.elements.dropFirst().first?.elements.compactMap(\.text).joined(separator: " ") ?? "", into: &counts)
                }
                guard let last = entries.last?.elements.first?.text else { break }
                start = "(" + last
                if entries.count < 1000 { break }
            }
            out += lines(place: "redis.\(stream)", counts)
        }
        out += lines(place: "dead_letters.payload", try deadLetterCounts(pg))
        // Telegram updates waiting to be relayed to a bot's backend carry their sealed body.
        var forwards: [String: Int] = [:]
        for job in try redis.command(["HVALS", TelegramForwardSchedule(layout: layout).jobs]).elements {
            tally(job.text ?? "", into: &forwards)
        }
        out += lines(place: "redis.telegram_forward_jobs", forwards)
        return out
    }

    /// Dead letters not yet replayed keep their envelope, sealed body and user data included, so
    /// `dlq replay` can put it back: the key that sealed them is still needed until they are
    /// replayed (or expire). Not re-sealed by ``rotate(postgres:redis:progress:)``: the payload
    /// is kept as it was dead-lettered, which may be why it could not be read.
    func deadLetterCounts(_ pg: PostgresConnection) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        var after = 0
        while true {
            let rows = try pg.query("""
                SELECT id, payload FROM dead_letters
                WHERE id > $1 AND replayed_at IS NULL AND payload LIKE '%v_.%' ORDER BY id LIMIT 1000
                """, [.int(after)])
            for i in rows.indices {
                tally(try rows.string(i, "payload") ?? "", into: &counts)
                after = try rows.int(i, "id") ?? after
            }
            if rows.count < 1000 { return counts }
        }
    }

    /// Counts `text` once for each `FORM.KEY.` it holds (an entry or a job names few values).
    private func tally(_ text: String, into counts: inout [String: Int]) {
        for key in keys.keys.map(\.id) {
            for form in Sealed.Form.allCases where text.contains("\(form.prefix).\(key).") {
                counts["\(form.prefix).\(key)", default: 0] += 1
            }
        }
    }

    private func lines(place: String, _ counts: [String: Int]) -> [StatusLine] {
        counts.sorted(by: { $0.key < $1.key }).compactMap { name, n in
            let parts = name.split(separator: ".", maxSplits: 1)
            guard let form = Sealed.Form(prefix: parts[0]) else { return nil }
            return StatusLine(place: place, keyID: String(parts[1]), form: form, count: n)
        }
    }
}
