public import Foundation

extension PostgresInsightStore: SupportBundleSource {
    public func supportBundle(scope: InsightScope, application: [(String, String)], diagnoses: [Diagnosis]) async throws -> SupportBundle {
        let status = try await liveStatus(scope: scope)
        let deadLetters = try await entries(reason: nil, scope: scope, limit: 100)
        let ignored = try await ignoredWebhooks(scope: scope, hours: 72, limit: 100)
        let scopeParam = Self.scopeParameter(scope)
        let (versions, configuration, errors) = try await withPostgresAndRedis { pg, redis in
            var versions = application
            versions.append(("postgres", String(pg.serverVersion)))
            let info = try redis.command(["INFO", "server"]).text ?? ""
            let redisVersion = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("redis_version:") }
                .map { String($0.dropFirst("redis_version:".count)) }
            versions.append(("redis", redisVersion ?? "?"))
            let schema = try pg.query("SELECT coalesce(max(version), 0) AS v FROM schema_migrations")
            versions.append(("schema", String(try schema.int(0, "v") ?? 0)))

            // Configuration: only columns that hold no secret (tokens and webhook secrets are
            // never selected; their presence is shown as a count or a yes/no).
            let sections: [(String, String)] = [
                ("tenants", "SELECT id, name, default_country_code, default_country FROM tenants WHERE \(Self.tenantInScope("id", 1)) ORDER BY id"),
                ("pixels", """
                    SELECT id, tenant_id, mode, is_default, batch_size, max_events_per_second, send_click_as_pageview,
                           CASE WHEN access_token_ciphertext IS NULL THEN 'no' ELSE 'yes' END AS has_token,
                           token_changed_at::text AS token_changed_at, paused_reason, test_event_code IS NOT NULL AS has_test_code
                    FROM pixels WHERE \(Self.tenantInScope("tenant_id", 1)) ORDER BY id
                    """),
                ("links", """
                    SELECT slug, tenant_id, pixel_id, destination->>'type' AS destination_type, active, deactivated_at::text AS deactivated_at
                    FROM links WHERE \(Self.tenantInScope("tenant_id", 1)) ORDER BY slug
                    """),
                ("gateway_accounts", """
                    SELECT gateway, account, tenant_id, pixel_id, jsonb_array_length(secrets) AS secrets,
                           CASE WHEN api_token_ciphertext IS NULL THEN 'no' ELSE 'yes' END AS has_api_token,
                           (SELECT string_agg(key, ',' ORDER BY key) FROM jsonb_object_keys(settings) AS key) AS setting_names
                    FROM gateway_accounts WHERE \(Self.tenantInScope("tenant_id", 1)) ORDER BY gateway, account
                    """),
            ]
            var configuration: [(section: String, rows: [SupportBundle.ConfigRow])] = []
            for (name, sql) in sections {
                let r = try pg.query(sql, [scopeParam])
                configuration.append((name, r.indices.map { i in
                    r.columnNames.enumerated().map { c, column in (column, r.string(i, c) ?? "") }
                }))
            }
            let errors = try Self.attempts(pg, where: """
                a.created_at > now() - interval '72 hours'
                AND a.outcome IN ('retry_scheduled', 'unconfirmed', 'dead_lettered', 'parked', 'batch_rejected')
                AND \(Self.pixelInScope("a.pixel_id", 1))
                """, [scopeParam], limit: 100, payload: false, newestFirst: .createdAt)
            return (versions, configuration, errors)
        }
        return SupportBundle(generatedAt: Date(), versions: versions, configuration: configuration, status: status,
                             recentErrors: errors, deadLetters: deadLetters, ignoredWebhooks: ignored, diagnoses: diagnoses)
    }
}
