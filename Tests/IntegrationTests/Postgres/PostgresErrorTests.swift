import Testing
import TrackhubCore

@Suite("Postgres server errors", .enabled(if: PostgresTestEnvironment.isConfigured, PostgresTestEnvironment.skipReason))
struct PostgresErrorTests {
    @Test("a duplicate key maps to isUniqueViolation; the row's value stays out of the description")
    func uniqueViolation() throws {
        let conn = try PostgresTestEnvironment.connect()
        try conn.execute("CREATE TEMP TABLE buyers (email_hash text CONSTRAINT buyers_email_hash_key PRIMARY KEY)")
        let value = "person-7f3a@example.com"
        try conn.query("INSERT INTO buyers VALUES ($1)", [.string(value)])
        let error = expectPostgresError { try conn.query("INSERT INTO buyers VALUES ($1)", [.string(value)]) }
        let e = try #require(error)
        #expect(e.isUniqueViolation)
        #expect(e.kind == .queryFailed)
        #expect(e.sqlState == "23505")
        #expect(e.constraintName == "buyers_email_hash_key")
        #expect(!e.isConnectionProblem)
        #expect(!e.description.contains(value))
        #expect(e.description.contains("23505"))
        #expect(e.description.contains("buyers_email_hash_key"))
        // DETAIL ("Key (email_hash)=(…) already exists.") is only in the debug text.
        #expect(e.detail?.contains(value) == true)
        #expect(e.debugDescription.contains(value))
        // The connection is fine afterwards.
        #expect(try conn.query("SELECT count(*) AS n FROM buyers").int(0, "n") == 1)
    }

    @Test("a parameter the server quotes back in its message is redacted from the description")
    func echoedParameterRedacted() throws {
        let conn = try PostgresTestEnvironment.connect()
        let value = "not-a-number@example.com"
        let error = expectPostgresError { try conn.query("SELECT $1::int", [.string(value)]) }
        let e = try #require(error)
        #expect(e.sqlState == "22P02")
        #expect(!e.isUniqueViolation)
        #expect(!e.description.contains(value))
        #expect(!e.message.contains(value))
        #expect(e.description.contains("<redacted>"))
    }

    @Test("syntax errors and missing tables carry their SQLSTATE")
    func sqlStates() throws {
        let conn = try PostgresTestEnvironment.connect()
        #expect(expectPostgresError { try conn.query("SELEC 1") }?.sqlState == "42601")
        #expect(expectPostgresError { try conn.query("SELECT * FROM no_such_table") }?.sqlState == "42P01")
        #expect(expectPostgresError { try conn.execute("SELECT 1; SELECT * FROM no_such_table; SELECT 2") }?.sqlState == "42P01")
        // Several statements are refused by the extended protocol used for parameters.
        #expect(expectPostgresError { try conn.query("SELECT 1; SELECT 2") }?.kind == .queryFailed)
    }

    @Test("a connection whose backend is terminated reports connectionLost, then resets")
    func terminatedBackend() throws {
        let victim = try PostgresTestEnvironment.connect()
        let killer = try PostgresTestEnvironment.connect()
        let pid = victim.backendPID
        try PostgresTestEnvironment.terminateBackend(pid, using: killer)

        // Either the idle probe already notices, or the next statement does.
        if victim.isHealthy {
            let error = expectPostgresError { try victim.query("SELECT 1") }
            #expect(error?.isConnectionProblem == true)
        }
        #expect(!victim.isHealthy)
        try victim.reset()
        #expect(victim.isHealthy)
        #expect(victim.backendPID != pid)
        #expect(try victim.query("SELECT 2 AS two").int(0, "two") == 2)
    }

    @Test("a closed connection refuses statements")
    func closedConnection() throws {
        let conn = try PostgresTestEnvironment.connect()
        conn.close()
        conn.close()
        #expect(!conn.isOpen)
        #expect(!conn.isHealthy)
        #expect(expectPostgresError { try conn.query("SELECT 1") }?.kind == .connectionLost)
        #expect(expectPostgresError { try conn.reset() }?.kind == .connectionFailed)
    }
}
