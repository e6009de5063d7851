import Foundation
import Logging
import ServiceLifecycle
import Testing
import TrackhubCore

@Suite("Migrator", .enabled(if: PostgresTestEnvironment.isConfigured, PostgresTestEnvironment.skipReason))
struct MigratorTests {
    static let expectedTables = [
        "ad_accounts", "ad_spend", "alert_deliveries", "alert_history", "alert_state", "alert_telegram_chats", "analytics_daily", "analytics_hourly", "analytics_hourly_totals", "api_keys", "config_audit", "config_versions", "console_sessions", "console_setup_tokens", "console_users",
        "conversions", "dead_letters", "dedupe_registry", "dispatch_attempts", "gateway_accounts", "help_messages", "links",
        "matches", "pixels", "privacy_requests", "retention_progress", "retention_runs", "schema_migrations", "setup_action_logs", "setup_messages", "setup_sessions", "support_cases", "telegram_bot_users", "tenants",
        "touchpoints", "webhook_inbox",
    ]

    @Test("applies the schema once; a second run is a no-op")
    func appliesOnce() async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let conn = try PostgresConnection(url)
            defer { conn.close() }
            let migrator = Migrator()
            #expect(try migrator.appliedVersions(conn) == [])
            #expect(try migrator.pending(conn).map(\.version) == Migrations.all.map(\.version))

            let first = try migrator.migrate(conn)
            #expect(first.map(\.version) == Migrations.all.map(\.version))
            #expect(first.first?.version == 1)

            let second = try migrator.migrate(conn)
            #expect(second.isEmpty)
            #expect(try migrator.appliedVersions(conn) == Migrations.all.map(\.version))
            #expect(try migrator.pending(conn).isEmpty)

            let recorded = try conn.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
            #expect(recorded.count == Migrations.all.count)
            #expect(try recorded.string(0, "name") == "initial_schema")
            #expect(try recorded.date(0, "applied_at") != nil)

            let tables = try conn.query(
                """
                SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
                AND table_name NOT IN (SELECT relname FROM pg_class WHERE relispartition) ORDER BY table_name
                """)
            #expect(try tables.indices.map { try tables.string($0, "table_name") } == Self.expectedTables)
        }
    }

    @Test("the look-ups the product needs have indexes: order id, click id, event id, time")
    func lookupIndexes() async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let conn = try PostgresConnection(url)
            defer { conn.close() }
            try Migrator().migrate(conn)
            let rows = try conn.query(
                "SELECT tablename || ':' || indexdef AS def FROM pg_indexes WHERE schemaname = current_schema()"
            )
            let definitions = try rows.indices.compactMap { try rows.string($0, "def") }
            func indexed(_ table: String, _ columns: String) -> Bool {
                definitions.contains { $0.hasPrefix(table + ":") && $0.contains("(\(columns))") }
            }
            #expect(indexed("conversions", "transaction_id"))
            #expect(indexed("conversions", "gateway, account, transaction_id, status"))
            #expect(indexed("touchpoints", "click_id"))
            #expect(indexed("touchpoints", "session_id"))
            #expect(indexed("touchpoints", "em_hash"))
            #expect(indexed("touchpoints", "ph_hash"))
            #expect(indexed("touchpoints", "occurred_at"))
            #expect(indexed("touchpoints", "envelope_id"))
            #expect(indexed("dispatch_attempts", "event_id"))
            #expect(indexed("dispatch_attempts", "pixel_id, created_at"))
            #expect(indexed("dispatch_attempts", "conversion_id"))
            #expect(indexed("dispatch_attempts", "created_at"))
            #expect(indexed("dedupe_registry", "pixel_id, event_name, event_id"))
            #expect(indexed("dead_letters", "reason, created_at"))
        }
    }

    @Test("the schema enforces its rules: pixel modes, dedupe keys, conversion uniqueness, the append-only ledger")
    func schemaRules() async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let conn = try PostgresConnection(url)
            defer { conn.close() }
            try Migrator().migrate(conn)

            try conn.query("INSERT INTO tenants (id, name) VALUES ($1, $2)", ["acme", "Acme"])
            let tenant = try conn.query("SELECT default_country_code, default_country, allowed_origins FROM tenants")
            #expect(try tenant.string(0, "default_country_code") == "55")
            #expect(try tenant.string(0, "default_country") == "br")
            #expect(try tenant.textArray(0, "allowed_origins") == [])

            try conn.query("INSERT INTO pixels (id, tenant_id, mode) VALUES ($1, $2, $3)", ["123", "acme", "dry_run"])
            let badMode = expectPostgresError {
                try conn.query("INSERT INTO pixels (id, tenant_id, mode) VALUES ($1, $2, $3)", ["456", "acme", "yolo"])
            }
            #expect(badMode?.sqlState == "23514")  // check_violation

            // Dedupe: the same (pixel, event_name, event_id) twice is a unique violation.
            let dedupe = "INSERT INTO dedupe_registry (pixel_id, event_name, event_id) VALUES ($1, $2, $3)"
            try conn.query(dedupe, ["123", "Purchase", "hotmart:HP123"])
            #expect(expectPostgresError { try conn.query(dedupe, ["123", "Purchase", "hotmart:HP123"]) }?.isUniqueViolation == true)

            // A sale: one row per gateway + account + transaction + status; findable by order id.
            let sale = """
                INSERT INTO conversions (gateway, account, transaction_id, status, tenant_id, value, currency, product_ids, occurred_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
                """
            let saleParams: [PostgresValue?] = [
                "hotmart", "acc1", "HP123", "approved", "acme", .numeric("197.00"), "BRL", .textArray(["p1"]), .timestamp(Date()),
            ]
            let conversionID = try #require(try conn.query(sale, saleParams).int(0, "id"))
            #expect(expectPostgresError { try conn.query(sale, saleParams) }?.isUniqueViolation == true)
            let byOrder = try conn.query("SELECT id, value FROM conversions WHERE transaction_id = $1", ["HP123"])
            #expect(try byOrder.int(0, "id") == conversionID)
            #expect(try byOrder.string(0, "value") == "197.00")

            // A click, findable by click id, matched to the sale.
            let touchpointID = try #require(
                try conn.query(
                    """
                    INSERT INTO touchpoints (envelope_id, tenant_id, kind, click_id, ip, occurred_at)
                    VALUES ($1, $2, $3, $4, $5, now()) RETURNING id
                    """,
                    ["env-1", "acme", "click", "clk_abc", "2001:db8::1"]
                ).int(0, "id")
            )
            #expect(try conn.query("SELECT id FROM touchpoints WHERE click_id = $1", ["clk_abc"]).int(0, "id") == touchpointID)
            try conn.query(
                "INSERT INTO matches (conversion_id, touchpoint_id, method, score) VALUES ($1, $2, $3, $4)",
                [.int(conversionID), .int(touchpointID), "click_id", 1.0]
            )

            // The ledger takes rows but refuses updates.
            try conn.query(
                "INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, conversion_id, outcome, payload) VALUES ($1, $2, $3, $4, $5, $6)",
                ["hotmart:HP123", "Purchase", "123", .int(conversionID), "dry_run", .json(#"{"data": []}"#)]
            )
            let update = expectPostgresError { try conn.query("UPDATE dispatch_attempts SET outcome = 'sent'") }
            #expect(update?.sqlState == "23001")  // restrict_violation, from the append-only trigger
            #expect(try conn.query("SELECT outcome FROM dispatch_attempts").string(0, "outcome") == "dry_run")

            // The one exception (a privacy erasure, migration 10): inside a transaction that set
            // trackhub.ledger_redaction, the payload may change and nothing else may.
            let sneaky = expectPostgresError {
                try conn.transaction { c in
                    try c.execute("SET LOCAL trackhub.ledger_redaction = 'on'")
                    try c.query("UPDATE dispatch_attempts SET outcome = 'sent', payload = '{}'")
                }
            }
            #expect(sneaky?.sqlState == "23001")
            try conn.transaction { c in
                try c.execute("SET LOCAL trackhub.ledger_redaction = 'on'")
                try c.query("UPDATE dispatch_attempts SET payload = '{\"user_data\": {}}'")
            }
            #expect(try conn.query("SELECT payload::text AS p FROM dispatch_attempts").string(0, "p") == #"{"user_data": {}}"#)
            let after = expectPostgresError { try conn.query("UPDATE dispatch_attempts SET payload = '{}'") }
            #expect(after?.sqlState == "23001", "SET LOCAL ends with its transaction")
        }
    }

    @Test("concurrent migrators apply each migration exactly once and none fails")
    func concurrentMigrators() async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let pool = PostgresPool(conninfo: url, size: 4)
            try await ServiceGroup.withRunning([pool], logger: Logger(label: "test")) {
                let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                    for _ in 0..<4 {
                        group.addTask { try await Migrator().migrate(pool).map(\.version) }
                    }
                    var all: [Int] = []
                    for try await versions in group { all += versions }
                    return all
                }
                #expect(applied.sorted() == Migrations.all.map(\.version))
                let recorded = try await pool.withConnection { conn in
                    try conn.query("SELECT count(*) AS n FROM schema_migrations").int(0, "n")
                }
                #expect(recorded == Migrations.all.count)
            }
        }
    }

    @Test("preparation steps commit one by one before the migration; a failure after them keeps them, a rerun completes")
    func preparationSteps() async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let conn = try PostgresConnection(url)
            defer { conn.close() }
            let steps = ["CREATE TABLE IF NOT EXISTS a (id int)", "CREATE TABLE IF NOT EXISTS b (id int)"]
            let broken = Migration(version: 1, name: "p", preparation: steps, sql: "INSERT INTO a VALUES (1); INSERT INTO b VALUES ('x')")
            let fixed = Migration(version: 1, name: "p", preparation: steps, sql: "INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)")
            _ = expectPostgresError { try Migrator(migrations: [broken]).migrate(conn) }
            #expect(try Migrator(migrations: [broken]).appliedVersions(conn) == [])
            #expect(try conn.query("SELECT to_regclass('a') IS NOT NULL AND to_regclass('b') IS NOT NULL AS kept").bool(0, "kept") == true)
            #expect(try Migrator(migrations: [fixed]).migrate(conn).map(\.version) == [1])
            #expect(try conn.query("SELECT count(*) AS n FROM a").int(0, "n") == 1)
            #expect(try Migrator(migrations: [fixed]).migrate(conn).isEmpty, "applied: its steps do not run again")
        }
    }

    @Test("a failing migration rolls back whole, keeps earlier ones, and a fixed rerun continues")
    func failingMigration() async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let conn = try PostgresConnection(url)
            defer { conn.close() }
            let one = Migration(version: 1, name: "one", sql: "CREATE TABLE one (id int)")
            let brokenTwo = Migration(version: 2, name: "two", sql: "CREATE TABLE two (id int); INSERT INTO two VALUES ('x')")
            let fixedTwo = Migration(version: 2, name: "two", sql: "CREATE TABLE two (id int); INSERT INTO two VALUES (2)")

            let error = expectPostgresError { try Migrator(migrations: [one, brokenTwo]).migrate(conn) }
            #expect(error?.sqlState == "22P02")
            #expect(try Migrator(migrations: [one, brokenTwo]).appliedVersions(conn) == [1])
            #expect(try conn.query("SELECT to_regclass('two') IS NULL AS gone").bool(0, "gone") == true)

            let applied = try Migrator(migrations: [one, fixedTwo]).migrate(conn)
            #expect(applied.map(\.version) == [2])
            #expect(try conn.query("SELECT id FROM two").int(0, "id") == 2)
        }
    }
}
