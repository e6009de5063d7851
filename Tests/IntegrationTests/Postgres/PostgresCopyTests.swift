import Foundation
import Testing
import TrackhubCore

@Suite("Postgres copyIn", .enabled(if: PostgresTestEnvironment.isConfigured, PostgresTestEnvironment.skipReason))
struct PostgresCopyTests {
    private static let columns = ["event_id", "attempt", "payload", "note", "at"]

    private func makeTable(_ conn: PostgresConnection) throws {
        try conn.execute("CREATE TEMP TABLE attempts (event_id text PRIMARY KEY, attempt int NOT NULL, payload jsonb, note text, at timestamptz)")
    }

    @Test("rows arrive exactly, including NULLs and the characters COPY's text format escapes")
    func exactValues() throws {
        let conn = try PostgresTestEnvironment.connect()
        try makeTable(conn)
        let odd = "tab\there\nnew\\line\r\\.\\N é😀 '; DROP TABLE attempts; --"
        let at = Date(timeIntervalSince1970: 1_795_000_000.123456)
        let copied = try conn.copyIn(table: "attempts", columns: Self.columns, rows: [
            [.string("e1"), .int(1), .json(#"{"k": "v\\t"}"#), .string(odd), .timestamp(at)],
            [.string("e2"), .int(2), nil, nil, nil],
            [.string("\\N"), .int(3), .json("[]"), .string(""), nil],
        ])
        #expect(copied == 3)
        let e1 = try conn.query("SELECT attempt, payload->>'k' AS k, note, at FROM attempts WHERE event_id = 'e1'")
        #expect(try e1.int(0, "attempt") == 1)
        #expect(try e1.string(0, "k") == "v\\t")
        #expect(try e1.string(0, "note") == odd)
        #expect(try e1.date(0, "at").map { abs($0.timeIntervalSince(at)) < 0.000_001 } == true)
        let e2 = try conn.query("SELECT payload IS NULL AND note IS NULL AND at IS NULL AS empty FROM attempts WHERE event_id = 'e2'")
        #expect(try e2.bool(0, "empty") == true)
        let literal = try conn.query("SELECT note FROM attempts WHERE event_id = $1", [.string("\\N")])
        #expect(try literal.string(0, "note") == "")
        #expect(try conn.copyIn(table: "attempts", columns: Self.columns, rows: []) == 0)
    }

    @Test("a duplicate fails the whole COPY and a savepoint keeps the transaction usable")
    func duplicate() throws {
        let conn = try PostgresTestEnvironment.connect()
        try makeTable(conn)
        try conn.copyIn(table: "attempts", columns: Self.columns, rows: [[.string("e1"), .int(1), nil, nil, nil]])
        let error = expectPostgresError {
            try conn.copyIn(table: "attempts", columns: Self.columns, rows: [[.string("e9"), .int(1), nil, nil, nil], [.string("e1"), .int(2), nil, nil, nil]])
        }
        #expect(error?.isUniqueViolation == true)
        #expect(try conn.query("SELECT count(*) AS n FROM attempts").int(0, "n") == 1)
        try conn.transaction { tx in
            try tx.execute("SAVEPOINT s")
            #expect(throws: PostgresError.self) {
                try tx.copyIn(table: "attempts", columns: Self.columns, rows: [[.string("e1"), .int(3), nil, nil, nil]])
            }
            try tx.execute("ROLLBACK TO SAVEPOINT s")
            try tx.copyIn(table: "attempts", columns: Self.columns, rows: [[.string("e5"), .int(5), nil, nil, nil]])
        }
        #expect(try conn.query("SELECT count(*) AS n FROM attempts").int(0, "n") == 2)
    }

    @Test("bad input is refused without leaking the value, and the connection stays usable")
    func refused() throws {
        let conn = try PostgresTestEnvironment.connect()
        try makeTable(conn)
        let secret = "not-a-number-secret-value"
        let error = expectPostgresError {
            try conn.copyIn(table: "attempts", columns: ["event_id", "attempt"], rows: [[.string("e1"), .string(secret)]])
        }
        #expect(error?.kind == .queryFailed)
        #expect(error.map { !"\($0)".contains(secret) } == true)
        #expect(throws: PostgresError.self) {
            try conn.copyIn(table: "attempts", columns: ["event_id"], rows: [[.string("a\u{0}b")]])
        }
        #expect(throws: PostgresError.self) {
            try conn.copyIn(table: "no_such_table", columns: ["x"], rows: [[.string("a")]])
        }
        #expect(try conn.query("SELECT 1 AS one").int(0, "one") == 1)
    }
}
