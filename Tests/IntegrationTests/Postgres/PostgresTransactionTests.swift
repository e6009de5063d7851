import Testing
import TrackhubCore

@Suite("Postgres transactions", .enabled(if: PostgresTestEnvironment.isConfigured, PostgresTestEnvironment.skipReason))
struct PostgresTransactionTests {
    private struct Boom: Error {}

    private func count(_ conn: PostgresConnection) throws -> Int? {
        try conn.query("SELECT count(*) AS n FROM ledger").int(0, "n")
    }

    private func makeTable(_ conn: PostgresConnection) throws {
        try conn.execute("CREATE TEMP TABLE ledger (id text PRIMARY KEY)")
    }

    @Test("a transaction commits its writes and returns the body's value")
    func commits() throws {
        let conn = try PostgresTestEnvironment.connect()
        try makeTable(conn)
        let value = try conn.transaction { tx -> Int in
            try tx.query("INSERT INTO ledger VALUES ($1), ($2)", ["a", "b"])
            #expect(tx.isInTransaction)
            return 2
        }
        #expect(value == 2)
        #expect(!conn.isInTransaction)
        #expect(try count(conn) == 2)
    }

    @Test("a throwing body rolls back and its error comes out")
    func rollsBackOnThrow() throws {
        let conn = try PostgresTestEnvironment.connect()
        try makeTable(conn)
        #expect(throws: Boom.self) {
            try conn.transaction { tx in
                try tx.query("INSERT INTO ledger VALUES ($1)", ["a"])
                throw Boom()
            }
        }
        #expect(!conn.isInTransaction)
        #expect(try count(conn) == 0)
    }

    @Test("a failed statement whose error the body swallowed makes the transaction fail, not silently roll back")
    func swallowedErrorIsNotACommit() throws {
        let conn = try PostgresTestEnvironment.connect()
        try makeTable(conn)
        let error = expectPostgresError {
            try conn.transaction { tx in
                try tx.query("INSERT INTO ledger VALUES ($1)", ["a"])
                _ = try? tx.query("INSERT INTO ledger VALUES ($1)", ["a"])  // unique violation, ignored
            }
        }
        #expect(error?.kind == .transactionAborted)
        #expect(!conn.isInTransaction)
        #expect(try count(conn) == 0)
    }

    @Test("transactions do not nest")
    func noNesting() throws {
        let conn = try PostgresTestEnvironment.connect()
        try makeTable(conn)
        let error = expectPostgresError {
            try conn.transaction { tx in
                try tx.query("INSERT INTO ledger VALUES ($1)", ["outer"])
                try tx.transaction { _ in }
            }
        }
        #expect(error?.kind == .invalidArgument)
        #expect(try count(conn) == 0)
    }
}
