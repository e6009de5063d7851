import Testing
import TrackhubCore

@Suite("Postgres insertBatch", .enabled(if: PostgresTestEnvironment.isConfigured, PostgresTestEnvironment.skipReason))
struct PostgresInsertBatchTests {
    private static let columns = ["event_id", "attempt", "payload"]

    private func makeTable(_ conn: PostgresConnection) throws {
        try conn.execute("CREATE TEMP TABLE attempts (event_id text PRIMARY KEY, attempt int NOT NULL, payload jsonb)")
    }

    private func row(_ id: String, _ attempt: Int) -> [PostgresValue?] {
        [.string(id), .int(attempt), .json(#"{"id": "\#(id)"}"#)]
    }

    private func count(_ conn: PostgresConnection) throws -> Int? {
        try conn.query("SELECT count(*) AS n FROM attempts").int(0, "n")
    }

    @Test("rows are inserted in one statement; conflicts are skipped and not counted")
    func conflictDoNothing() throws {
        let conn = try PostgresTestEnvironment.connect()
        try makeTable(conn)
        let first = try conn.insertBatch(
            table: "attempts",
            columns: Self.columns,
            rows: [row("e1", 1), row("e2", 1), row("'; DROP TABLE attempts; --", 1)]
        )
        #expect(first == 3)
        let second = try conn.insertBatch(
            table: "attempts",
            columns: Self.columns,
            rows: [row("e1", 2), row("e3", 1), row("e2", 2)],
            onConflictDoNothing: true
        )
        #expect(second == 1)
        #expect(try count(conn) == 4)
        // The duplicates did not overwrite anything.
        let e1 = try conn.query("SELECT attempt, payload->>'id' AS id FROM attempts WHERE event_id = $1", ["e1"])
        #expect(try e1.int(0, "attempt") == 1)
        #expect(try e1.string(0, "id") == "e1")
        let nulls = try conn.insertBatch(table: "attempts", columns: Self.columns, rows: [["e4", 1, nil]])
        #expect(nulls == 1)
        #expect(try conn.query("SELECT payload IS NULL AS empty FROM attempts WHERE event_id = 'e4'").bool(0, "empty") == true)
    }

    @Test("without onConflictDoNothing a duplicate fails the whole statement")
    func conflictFails() throws {
        let conn = try PostgresTestEnvironment.connect()
        try makeTable(conn)
        try conn.insertBatch(table: "attempts", columns: Self.columns, rows: [row("e1", 1)])
        let error = expectPostgresError {
            try conn.insertBatch(table: "attempts", columns: Self.columns, rows: [row("e9", 1), row("e1", 1)])
        }
        #expect(error?.isUniqueViolation == true)
        #expect(try count(conn) == 1)
    }

    @Test("batches past the 65535-parameter limit are chunked, and stay all-or-nothing")
    func chunking() throws {
        let conn = try PostgresTestEnvironment.connect()
        try makeTable(conn)
        // 30,000 rows x 3 columns = 90,000 parameters: two statements.
        let rows = (0..<30_000).map { row("bulk-\($0)", $0 % 7 + 1) }
        #expect(try conn.insertBatch(table: "attempts", columns: Self.columns, rows: rows) == 30_000)
        #expect(try count(conn) == 30_000)
        #expect(!conn.isInTransaction)

        // A duplicate in the second chunk rolls back the first chunk too.
        var failing = (0..<25_000).map { row("next-\($0)", 1) }
        failing.append(row("bulk-0", 1))
        let error = expectPostgresError {
            try conn.insertBatch(table: "attempts", columns: Self.columns, rows: failing)
        }
        #expect(error?.isUniqueViolation == true)
        #expect(try count(conn) == 30_000)

        // Same batch with conflicts skipped: everything new goes in.
        #expect(try conn.insertBatch(table: "attempts", columns: Self.columns, rows: failing, onConflictDoNothing: true) == 25_000)
        #expect(try count(conn) == 55_000)
    }

    @Test("bad arguments are refused before anything is sent")
    func invalidArguments() throws {
        let conn = try PostgresTestEnvironment.connect()
        try makeTable(conn)
        #expect(try conn.insertBatch(table: "attempts", columns: Self.columns, rows: []) == 0)
        let shortRow = expectPostgresError {
            try conn.insertBatch(table: "attempts", columns: Self.columns, rows: [["e1", 1]])
        }
        #expect(shortRow?.kind == .invalidArgument)
        let noColumns = expectPostgresError { try conn.insertBatch(table: "attempts", columns: [], rows: [[]]) }
        #expect(noColumns?.kind == .invalidArgument)
        #expect(try count(conn) == 0)
    }

    @Test("table and column names are quoted identifiers, not SQL")
    func identifiersAreQuoted() throws {
        let conn = try PostgresTestEnvironment.connect()
        try makeTable(conn)
        let badTable = expectPostgresError {
            try conn.insertBatch(table: #"attempts" (event_id) VALUES ('x'); --"#, columns: ["event_id"], rows: [["y"]])
        }
        #expect(badTable?.sqlState == "42P01")  // undefined_table: the whole string was one name
        let badColumn = expectPostgresError {
            try conn.insertBatch(table: "attempts", columns: [#"event_id") VALUES ('x'); --"#], rows: [["y"]])
        }
        #expect(badColumn?.sqlState == "42703")  // undefined_column
        #expect(try count(conn) == 0)
        // Schema-qualified names work (temp tables live in pg_temp).
        #expect(try conn.insertBatch(table: "pg_temp.attempts", columns: Self.columns, rows: [row("q", 1)]) == 1)
    }
}
