import Foundation
import Testing
import TrackhubCore

@Suite("dispatchd apply: the ingest snapshot", .enabled(if: ConfigTestEnvironment.hasPostgresAndRedis, ConfigTestEnvironment.redisSkipReason))
struct ConfigurationSnapshotTests {
    @Test("compile → publish → load → CompiledSnapshot round trip; active links only; secrets open")
    func roundTrip() async throws {
        try await ConfigTestEnvironment.withDatabase { conn in
            let keys = ConfigTestEnvironment.keyRing()
            let redis = try ConfigTestEnvironment.redis()
            let layout = ConfigTestEnvironment.layout()
            defer { ConfigTestEnvironment.cleanUp(layout, redis); redis.close() }

            var demo = DemoConfig()
            demo.secrets[.stripe] = ["whsec-new", "whsec-old"]
            _ = try ConfigApplier().apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            demo.slugs = ["demo", "lp"]
            _ = try ConfigApplier().apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)

            let published = try SnapshotCompiler().publish(connection: conn, redis: redis, layout: layout, keys: keys)
            let loaded = try #require(try SnapshotStore.load(layout: layout, connection: redis))
            #expect(loaded == published)
            #expect(try SnapshotStore.publishedVersion(layout: layout, connection: redis) == published.version)

            #expect(loaded.tenants == [IngestSnapshot.Tenant(id: "demo", allowedOrigins: ["http://localhost:3000"], attributionWindowDays: 30)])
            #expect(loaded.links.map(\.slug) == ["demo", "lp"])  // "bot" was deactivated
            #expect(loaded.links[0] == IngestSnapshot.Link(
                slug: "demo", tenant: "demo", pixel: DemoConfig.pixelID,
                destination: .hotmart(url: "https://pay.hotmart.com/X00000000X?off=demo", alsoSrc: true)))
            #expect(loaded.gatewayAccounts.count == 6)
            for secret in demo.allSecretValues {
                #expect(!String(decoding: try loaded.encoded(), as: UTF8.self).contains(secret))
            }

            let compiled = try CompiledSnapshot(loaded, keys: keys)
            #expect(compiled.version == published.version)
            #expect(compiled.links["lp"]?.destination == .generic(url: "https://example.com/landing", parameter: "th_cid"))
            #expect(compiled.links["bot"] == nil)
            #expect(compiled.allOrigins == ["http://localhost:3000"])
            #expect(compiled.account(gateway: "stripe", account: "main")?.secrets == ["whsec-new", "whsec-old"])
            #expect(compiled.account(gateway: "hotmart", account: "main")?.secrets == ["whsec-hotmart-one"])
            #expect(compiled.account(gateway: "hotmart", account: "main")?.tenant == "demo")
        }
    }

    @Test("versions only grow: each publish is newer, and a Redis ahead of the sequence is overtaken")
    func versionsIncrease() async throws {
        try await ConfigTestEnvironment.withDatabase { conn in
            let keys = ConfigTestEnvironment.keyRing()
            let redis = try ConfigTestEnvironment.redis()
            let layout = ConfigTestEnvironment.layout()
            defer { ConfigTestEnvironment.cleanUp(layout, redis); redis.close() }
            let demo = DemoConfig()
            _ = try ConfigApplier().apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)

            let compiler = SnapshotCompiler()
            let v1 = try compiler.publish(connection: conn, redis: redis, layout: layout, keys: keys).version
            let v2 = try compiler.publish(connection: conn, redis: redis, layout: layout, keys: keys).version
            #expect(v2 > v1)

            // Redis holds a newer snapshot than this database ever made (e.g. restored backup).
            _ = try redis.command(["SET", layout.configVersion, "500"])
            let v3 = try compiler.publish(connection: conn, redis: redis, layout: layout, keys: keys).version
            #expect(v3 == 501)
            #expect(try compiler.publish(connection: conn, redis: redis, layout: layout, keys: keys).version == 502)
            #expect(try SnapshotStore.publishedVersion(layout: layout, connection: redis) == 502)
        }
    }

    @Test("concurrent publishers never move Redis backwards")
    func concurrentPublishers() async throws {
        try await ConfigTestEnvironment.withDatabase { conn in
            let keys = ConfigTestEnvironment.keyRing()
            let demo = DemoConfig()
            _ = try ConfigApplier().apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            let redis = try ConfigTestEnvironment.redis()
            let layout = ConfigTestEnvironment.layout()
            defer { ConfigTestEnvironment.cleanUp(layout, redis); redis.close() }

            let url = try #require(PostgresTestEnvironment.url)
            let database = try #require(try conn.query("SELECT current_database() AS d").string(0, "d"))
            let scratchURL = try PostgresTestEnvironment.url(url, database: database)
            let redisURL = try #require(ConfigTestEnvironment.redisURL)
            let versions = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        let pg = try PostgresConnection(scratchURL)
                        defer { pg.close() }
                        let r = try RedisConnection(endpoint: RedisEndpoint(url: redisURL)!)
                        defer { r.close() }
                        var seen: [Int64] = []
                        for _ in 0..<5 {
                            seen.append(try SnapshotCompiler().publish(connection: pg, redis: r, layout: layout, keys: keys).version)
                        }
                        return seen
                    }
                }
                var all: [Int64] = []
                for try await part in group { all += part }
                return all
            }
            #expect(Set(versions).count == 15)
            #expect(try SnapshotStore.publishedVersion(layout: layout, connection: redis) == versions.max())
        }
    }

    @Test("the whole command: apply, publish, and release a pixel whose token was replaced")
    func deployment() async throws {
        try await ConfigTestEnvironment.withDatabase { conn in
            let keys = ConfigTestEnvironment.keyRing()
            let redis = try ConfigTestEnvironment.redis()
            let layout = ConfigTestEnvironment.layout()
            defer { ConfigTestEnvironment.cleanUp(layout, redis); redis.close() }
            var demo = DemoConfig()
            let deployment = ConfigDeployment(layout: layout)

            let first = try deployment.run(try demo.file(), keys: keys, environment: demo.environment, postgres: conn, redis: redis)
            #expect(first.report.pixels.created == 1)
            #expect(first.releasedPixels == [DemoConfig.pixelID: 0])

            // Meta rejected the token: dispatchd paused the pixel.
            let control = PixelControl(layout: layout)
            try control.pause(pixel: DemoConfig.pixelID, reason: "token_invalid", duration: nil, connection: redis)
            let unchanged = try deployment.run(try demo.file(), keys: keys, environment: demo.environment, postgres: conn, redis: redis)
            #expect(unchanged.report.isUnchanged)
            #expect(unchanged.releasedPixels.isEmpty)
            #expect(unchanged.snapshotVersion > first.snapshotVersion)
            #expect(try control.pauseState(pixel: DemoConfig.pixelID, connection: redis) != nil)

            demo.pixelToken = "EAAB-fresh-token"
            let fixed = try deployment.run(try demo.file(), keys: keys, environment: demo.environment, postgres: conn, redis: redis)
            #expect(fixed.report.newTokenPixels == [DemoConfig.pixelID])
            #expect(fixed.releasedPixels.keys.sorted() == [DemoConfig.pixelID])
            #expect(try control.pauseState(pixel: DemoConfig.pixelID, connection: redis) == nil)
            #expect(!fixed.description.contains("EAAB-fresh-token"))
        }
    }
}

@Suite("Migration 2", .enabled(if: ConfigTestEnvironment.hasPostgres, ConfigTestEnvironment.postgresSkipReason))
struct ConfigurationMigrationTests {
    @Test("an account's single secret from version 1 becomes a one-element list; the inbox exists")
    func upgradesSecrets() async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let conn = try PostgresConnection(url)
            defer { conn.close() }
            try Migrator(migrations: [Migrations.initialSchema]).migrate(conn)
            try conn.execute("""
                INSERT INTO tenants (id, name) VALUES ('t', 'T');
                INSERT INTO gateway_accounts (gateway, account, tenant_id, secret_ciphertext, secret_key_id)
                    VALUES ('hotmart', 'main', 't', 'v1.k1.AAAA', 'k1'), ('kiwify', 'main', 't', NULL, NULL);
                """)
            let applied = try Migrator().migrate(conn)
            #expect(applied.map(\.version) == Migrations.all.map(\.version).filter { $0 >= 2 })
            let rows = try conn.query("SELECT gateway, secrets::text AS s FROM gateway_accounts ORDER BY gateway")
            #expect(try rows.string(0, "s") == #"["v1.k1.AAAA"]"#)
            #expect(try rows.string(1, "s") == "[]")
            let columns = try conn.query(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'gateway_accounts' AND column_name LIKE 'secret%'")
            #expect(try columns.indices.compactMap { try columns.string($0, "column_name") } == ["secrets"])

            let inbox = try conn.query(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'webhook_inbox' AND indexdef LIKE '%(processed_at)%'")
            #expect(inbox.count == 1)
            try conn.query(
                """
                INSERT INTO webhook_inbox (envelope_id, gateway, account, tenant_id, received_at, body_sealed, content_type, query, headers)
                VALUES ('e1', 'hotmart', 'main', 't', now(), 'v1.k1.BBBB', 'application/json', '{}', '{"x-hotmart-hottok": "…"}')
                """)
            #expect(throws: PostgresError.self) {
                try conn.query("INSERT INTO webhook_inbox (envelope_id, gateway, account, received_at, body_sealed) VALUES ('e1', 'h', 'm', now(), 'x')")
            }
            #expect(try conn.query("SELECT nextval('config_version_seq') AS v").int(0, "v") == 1)
            // One default pixel per tenant.
            try conn.execute("INSERT INTO pixels (id, tenant_id, is_default) VALUES ('1', 't', true), ('2', 't', false)")
            #expect(throws: PostgresError.self) { try conn.query("UPDATE pixels SET is_default = true WHERE id = '2'") }
        }
    }
}
