public import Foundation

/// Writes a configuration file into Postgres: `dispatchd apply FILE`.
///
/// Declarative: for every tenant the file lists, Postgres ends up holding exactly the file's
/// pixels, links and gateway accounts. Links the file no longer lists are deactivated (clicks
/// already in the streams still resolve them); pixels and gateway accounts it no longer lists
/// are deleted. Tenants the file does not list are left alone.
///
/// Idempotent: a row is written only when something in it differs, so applying the same file
/// again reports everything unchanged. Secrets are compared by their plaintext — the stored
/// ciphertext is opened for its tenant and record (``SealContext``) — and re-sealed only when
/// the plaintext changed or the value moved to another tenant (AES-GCM uses a fresh nonce each
/// time, so sealing the same token twice gives different text). A stored value still in the
/// purpose-only form is kept as it is; `dispatchd secrets rotate` migrates it.
///
/// Everything runs in one transaction under an advisory lock, so two applies never interleave
/// and a failure leaves Postgres as it was.
public struct ConfigApplier: Sendable {
    /// Transaction-scoped advisory lock serialising applies: ASCII "thconfig".
    public static let advisoryLockKey = 0x7468_636F_6E66_6967

    public init() {}

    /// Validates `file` and writes it. Throws ``ConfigError/invalid(_:)`` — writing nothing —
    /// when the file has errors; Postgres errors leave the database unchanged.
    public func apply(
        _ file: TrackhubConfigFile,
        keys: KeyRing,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        connection: PostgresConnection
    ) throws -> ApplyReport {
        let resolved = try Self.resolve(file, environment: environment)
        return try connection.transaction { conn in
            try write(resolved.configuration, warnings: resolved.warnings, keys: keys, conn)
        }
    }

    /// What ``apply(_:keys:environment:connection:)`` would change, without changing it: the
    /// same writes, rolled back.
    public func plan(
        _ file: TrackhubConfigFile,
        keys: KeyRing,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        connection: PostgresConnection
    ) throws -> ApplyReport {
        let resolved = try Self.resolve(file, environment: environment)
        do {
            try connection.transaction { conn -> Void in
                let report = try write(resolved.configuration, warnings: resolved.warnings, keys: keys, conn)
                throw RollBack(report: report)
            }
        } catch let rollBack as RollBack {
            return rollBack.report
        }
        preconditionFailure("plan's transaction always rolls back")
    }

    private struct RollBack: Error {
        let report: ApplyReport
    }

    static func resolve(
        _ file: TrackhubConfigFile, environment: [String: String]
    ) throws -> (configuration: ResolvedConfiguration, warnings: [ConfigProblem]) {
        let (problems, resolved) = ConfigResolver(file: file, environment: environment).run()
        guard let resolved else { throw ConfigError.invalid(problems) }
        return (resolved, problems)
    }

    // MARK: - Writing

    private func write(
        _ config: ResolvedConfiguration, warnings: [ConfigProblem], keys: KeyRing, _ conn: PostgresConnection
    ) throws -> ApplyReport {
        try conn.query("SELECT pg_advisory_xact_lock($1)", [.int(Self.advisoryLockKey)])
        var report = ApplyReport()
        report.warnings = warnings
        let tenantIDs = config.tenants.map(\.id)

        try writeTenants(config, &report, conn)
        let removedPixels = try writePixels(config, tenantIDs: tenantIDs, keys: keys, &report, conn)
        try writeLinks(config, tenantIDs: tenantIDs, &report, conn)
        try writeAccounts(config, tenantIDs: tenantIDs, keys: keys, &report, conn)

        // Pixels last: nothing the file keeps refers to them any more, and what it dropped
        // (deactivated links) lets go first.
        if !removedPixels.isEmpty {
            try conn.query("UPDATE links SET pixel_id = NULL WHERE pixel_id = ANY($1)", [.textArray(removedPixels)])
            try conn.query("UPDATE gateway_accounts SET pixel_id = NULL WHERE pixel_id = ANY($1)", [.textArray(removedPixels)])
            try conn.query("DELETE FROM pixels WHERE id = ANY($1)", [.textArray(removedPixels)])
            for id in removedPixels { report.record(.pixel, id, .removed) }
        }
        report.newTokenPixels.sort()
        return report
    }

    private func writeTenants(_ config: ResolvedConfiguration, _ report: inout ApplyReport, _ conn: PostgresConnection) throws {
        for tenant in config.tenants {
            let rows = try conn.query(
                """
                INSERT INTO tenants AS t (id, name, default_country_code, default_country, allowed_origins, checkout_hosts,
                                          attribution_window_days, sale_consent, retention)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (id) DO UPDATE SET
                    name = excluded.name,
                    default_country_code = excluded.default_country_code,
                    default_country = excluded.default_country,
                    allowed_origins = excluded.allowed_origins,
                    checkout_hosts = excluded.checkout_hosts,
                    attribution_window_days = excluded.attribution_window_days,
                    sale_consent = excluded.sale_consent,
                    retention = excluded.retention,
                    updated_at = now()
                WHERE (t.name, t.default_country_code, t.default_country, t.allowed_origins, t.checkout_hosts, t.attribution_window_days,
                       t.sale_consent, t.retention)
                    IS DISTINCT FROM (excluded.name, excluded.default_country_code, excluded.default_country, excluded.allowed_origins,
                                      excluded.checkout_hosts, excluded.attribution_window_days, excluded.sale_consent, excluded.retention)
                RETURNING (xmax = 0) AS inserted
                """,
                [.string(tenant.id), .string(tenant.name), .string(tenant.defaultCountryCode), .string(tenant.defaultCountry),
                 .textArray(tenant.allowedOrigins), .textArray(tenant.checkoutHosts), .int(tenant.attributionWindowDays),
                 .string(tenant.saleConsent.rawValue), .json(RetentionPolicy.storedJSON(tenant.retention))]
            )
            report.record(.tenant, tenant.id, try Self.upsertAction(rows))
        }
    }

    /// Upserts every pixel; returns the ids to delete once nothing refers to them.
    private func writePixels(
        _ config: ResolvedConfiguration, tenantIDs: [String], keys: KeyRing, _ report: inout ApplyReport, _ conn: PostgresConnection
    ) throws -> [String] {
        let pixels = config.tenants.flatMap { tenant in tenant.pixels.map { (tenant: tenant.id, pixel: $0) } }
        let fileIDs = pixels.map(\.pixel.id)

        let existing = try conn.query(
            "SELECT id, access_token_ciphertext FROM pixels WHERE id = ANY($1)", [.textArray(fileIDs)])
        var storedTokens: [String: String] = [:]
        for row in existing.indices {
            if let id = try existing.string(row, "id"), let sealed = try existing.string(row, "access_token_ciphertext") {
                storedTokens[id] = sealed
            }
        }

        // One default per tenant is a unique index, so the old default lets go before the new
        // one takes over. Pixels changed here are reported as updated even if nothing else is.
        let defaults = pixels.filter(\.pixel.isDefault).map(\.pixel.id)
        let cleared = try conn.query(
            """
            UPDATE pixels SET is_default = false, updated_at = now()
            WHERE is_default AND (tenant_id = ANY($1) OR id = ANY($2)) AND NOT (id = ANY($3))
            RETURNING id
            """,
            [.textArray(tenantIDs), .textArray(fileIDs), .textArray(defaults)]
        )
        let clearedIDs = Set(try cleared.indices.compactMap { try cleared.string($0, "id") })

        for (tenant, pixel) in pixels {
            var sealed: Sealed
            var newToken = true
            let context = SealContext.pixelToken(tenant: tenant, pixel: pixel.id)
            if let stored = storedTokens[pixel.id],
               (try? keys.openString(Sealed(text: stored), for: context)) == pixel.token {
                sealed = Sealed(text: stored)
                newToken = false
            } else {
                sealed = try keys.seal(string: pixel.token, for: context)
            }
            let rows = try conn.query(
                """
                INSERT INTO pixels AS p (id, tenant_id, access_token_ciphertext, access_token_key_id, test_event_code, mode,
                    max_events_per_second, batch_size, send_click_as_pageview, event_names, is_default, token_changed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
                ON CONFLICT (id) DO UPDATE SET
                    tenant_id = excluded.tenant_id,
                    access_token_ciphertext = excluded.access_token_ciphertext,
                    access_token_key_id = excluded.access_token_key_id,
                    test_event_code = excluded.test_event_code,
                    mode = excluded.mode,
                    max_events_per_second = excluded.max_events_per_second,
                    batch_size = excluded.batch_size,
                    send_click_as_pageview = excluded.send_click_as_pageview,
                    event_names = excluded.event_names,
                    is_default = excluded.is_default,
                    token_changed_at = CASE WHEN p.access_token_ciphertext IS DISTINCT FROM excluded.access_token_ciphertext
                        THEN now() ELSE p.token_changed_at END,
                    paused_reason = CASE WHEN p.access_token_ciphertext IS DISTINCT FROM excluded.access_token_ciphertext
                        THEN NULL ELSE p.paused_reason END,
                    paused_at = CASE WHEN p.access_token_ciphertext IS DISTINCT FROM excluded.access_token_ciphertext
                        THEN NULL ELSE p.paused_at END,
                    updated_at = now()
                WHERE (p.tenant_id, p.access_token_ciphertext, p.access_token_key_id, p.test_event_code, p.mode,
                       p.max_events_per_second, p.batch_size, p.send_click_as_pageview, p.event_names, p.is_default)
                    IS DISTINCT FROM
                      (excluded.tenant_id, excluded.access_token_ciphertext, excluded.access_token_key_id, excluded.test_event_code,
                       excluded.mode, excluded.max_events_per_second, excluded.batch_size, excluded.send_click_as_pageview,
                       excluded.event_names, excluded.is_default)
                RETURNING (xmax = 0) AS inserted
                """,
                [.string(pixel.id), .string(tenant), .string(sealed.text), .string(sealed.keyID ?? keys.activeKeyID),
                 pixel.testEventCode.map(PostgresValue.string), .string(pixel.mode.rawValue), .int(pixel.maxEventsPerSecond),
                 .int(pixel.batchSize), .bool(pixel.sendClickAsPageview), try .jsonEncoded(pixel.eventNames),
                 .bool(pixel.isDefault)]
            )
            var action = try Self.upsertAction(rows)
            if action == nil, clearedIDs.contains(pixel.id) { action = .updated }
            report.record(.pixel, pixel.id, action)
            if newToken { report.newTokenPixels.append(pixel.id) }
        }

        let removed = try conn.query(
            "SELECT id FROM pixels WHERE tenant_id = ANY($1) AND NOT (id = ANY($2)) ORDER BY id",
            [.textArray(tenantIDs), .textArray(fileIDs)]
        )
        return try removed.indices.compactMap { try removed.string($0, "id") }
    }

    private func writeLinks(
        _ config: ResolvedConfiguration, tenantIDs: [String], _ report: inout ApplyReport, _ conn: PostgresConnection
    ) throws {
        var slugs: [String] = []
        for tenant in config.tenants {
            for link in tenant.links {
                slugs.append(link.slug)
                let rows = try conn.query(
                    """
                    INSERT INTO links AS l (slug, tenant_id, pixel_id, destination, active, deactivated_at)
                    VALUES ($1, $2, $3, $4, true, NULL)
                    ON CONFLICT (slug) DO UPDATE SET
                        tenant_id = excluded.tenant_id,
                        pixel_id = excluded.pixel_id,
                        destination = excluded.destination,
                        active = true,
                        deactivated_at = NULL,
                        updated_at = now()
                    WHERE (l.tenant_id, l.pixel_id, l.destination, l.active)
                        IS DISTINCT FROM (excluded.tenant_id, excluded.pixel_id, excluded.destination, true)
                    RETURNING (xmax = 0) AS inserted
                    """,
                    [.string(link.slug), .string(tenant.id), link.pixel.map(PostgresValue.string),
                     .json(try LinkDestinationMapping.storedJSON(link.destination))]
                )
                report.record(.link, link.slug, try Self.upsertAction(rows))
            }
        }
        let deactivated = try conn.query(
            """
            UPDATE links SET active = false, deactivated_at = now(), updated_at = now()
            WHERE tenant_id = ANY($1) AND active AND NOT (slug = ANY($2))
            RETURNING slug
            """,
            [.textArray(tenantIDs), .textArray(slugs)]
        )
        for slug in try deactivated.indices.compactMap({ try deactivated.string($0, "slug") }).sorted() {
            report.record(.link, slug, .removed)
        }
    }

    private func writeAccounts(
        _ config: ResolvedConfiguration, tenantIDs: [String], keys: KeyRing, _ report: inout ApplyReport,
        _ conn: PostgresConnection
    ) throws {
        let accounts = config.tenants.flatMap { tenant in tenant.accounts.map { (tenant: tenant.id, account: $0) } }
        let fileKeys = accounts.map { Self.accountKey($0.account.gateway.rawValue, $0.account.account) }

        let existing = try conn.query(
            """
            SELECT gateway, account, secrets::text AS secrets, api_token_ciphertext FROM gateway_accounts
            WHERE (gateway || '/' || account) = ANY($1)
            """,
            [.textArray(fileKeys)]
        )
        var stored: [String: (secrets: String, apiToken: String?)] = [:]
        for row in existing.indices {
            guard let gateway = try existing.string(row, "gateway"), let account = try existing.string(row, "account") else { continue }
            stored[Self.accountKey(gateway, account)] = (
                try existing.string(row, "secrets") ?? "[]", try existing.string(row, "api_token_ciphertext")
            )
        }

        for (tenant, account) in accounts {
            let key = Self.accountKey(account.gateway.rawValue, account.account)
            let previous = stored[key]

            // Secrets: keep the stored array when it opens to exactly the file's list.
            let secretsJSON: String
            let secretContext = SealContext.gatewaySecret(tenant: tenant, gateway: account.gateway.rawValue, account: account.account)
            if let previous, let opened = Self.openSecrets(previous.secrets, for: secretContext, keys: keys), opened == account.secrets {
                secretsJSON = previous.secrets
            } else {
                let sealed = try account.secrets.map { try keys.seal(string: $0, for: secretContext).text }
                secretsJSON = try ConfigValue.array(sealed.map(ConfigValue.string)).jsonText()
            }
            var apiToken: Sealed?
            if let token = account.apiToken {
                let tokenContext = SealContext.gatewayAPIToken(tenant: tenant, gateway: account.gateway.rawValue, account: account.account)
                if let text = previous?.apiToken,
                   (try? keys.openString(Sealed(text: text), for: tokenContext)) == token {
                    apiToken = Sealed(text: text)
                } else {
                    apiToken = try keys.seal(string: token, for: tokenContext)
                }
            }

            let rows = try conn.query(
                """
                INSERT INTO gateway_accounts AS g (gateway, account, tenant_id, pixel_id, secrets, api_token_ciphertext,
                    api_token_key_id, settings)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (gateway, account) DO UPDATE SET
                    tenant_id = excluded.tenant_id,
                    pixel_id = excluded.pixel_id,
                    secrets = excluded.secrets,
                    api_token_ciphertext = excluded.api_token_ciphertext,
                    api_token_key_id = excluded.api_token_key_id,
                    settings = excluded.settings,
                    updated_at = now()
                WHERE (g.tenant_id, g.pixel_id, g.secrets, g.api_token_ciphertext, g.api_token_key_id, g.settings)
                    IS DISTINCT FROM (excluded.tenant_id, excluded.pixel_id, excluded.secrets, excluded.api_token_ciphertext,
                        excluded.api_token_key_id, excluded.settings)
                RETURNING (xmax = 0) AS inserted
                """,
                [.string(account.gateway.rawValue), .string(account.account), .string(tenant), account.pixel.map(PostgresValue.string),
                 .json(secretsJSON), apiToken.map { PostgresValue.string($0.text) }, apiToken.map { PostgresValue.string($0.keyID ?? keys.activeKeyID) },
                 .json(try account.settings.jsonText())]
            )
            report.record(.gatewayAccount, key, try Self.upsertAction(rows))
        }

        let deleted = try conn.query(
            """
            DELETE FROM gateway_accounts
            WHERE tenant_id = ANY($1) AND NOT ((gateway || '/' || account) = ANY($2))
            RETURNING gateway || '/' || account AS key
            """,
            [.textArray(tenantIDs), .textArray(fileKeys)]
        )
        for key in try deleted.indices.compactMap({ try deleted.string($0, "key") }).sorted() {
            report.record(.gatewayAccount, key, .removed)
        }
    }

    // MARK: - Helpers

    static func accountKey(_ gateway: String, _ account: String) -> String { gateway + "/" + account }

    /// An upsert's `RETURNING (xmax = 0) AS inserted`: no row means the WHERE found nothing to change.
    private static func upsertAction(_ rows: PostgresRows) throws -> ApplyReport.Action? {
        guard !rows.isEmpty else { return nil }
        return try rows.bool(0, "inserted") == true ? .created : .updated
    }

    /// The stored secrets opened, in order; nil when any cannot be (then they are re-sealed).
    private static func openSecrets(_ json: String, for context: SealContext, keys: KeyRing) -> [String]? {
        guard let texts = try? JSONDecoder().decode([String].self, from: Data(json.utf8)) else { return nil }
        var opened: [String] = []
        for text in texts {
            guard let plain = try? keys.openString(Sealed(text: text), for: context) else { return nil }
            opened.append(plain)
        }
        return opened
    }
}
