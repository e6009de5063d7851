import Foundation
import Testing
import TrackhubCore

@Suite("Postgres queries", .enabled(if: PostgresTestEnvironment.isConfigured, PostgresTestEnvironment.skipReason))
struct PostgresQueryTests {
    static let awkwardStrings = [
        "O'Brien said \"hi\"",
        "São Paulo — ação, coração 🚀 日本語",
        "'; DROP TABLE round_trip; --",
        "\"); DELETE FROM round_trip WHERE ('1'='1",
        "back\\slash \\x00 \\\\",
        "",
        "$1",
        "NULL",
        "{a,b}",
        "line one\nline two\ttab\r\n",
    ]

    @Test("strings round-trip literally, and injection-looking text is only data")
    func stringRoundTrip() throws {
        let conn = try PostgresTestEnvironment.connect()
        try conn.execute("CREATE TEMP TABLE round_trip (id int PRIMARY KEY, s text)")
        for (id, text) in Self.awkwardStrings.enumerated() {
            let inserted = try conn.query("INSERT INTO round_trip (id, s) VALUES ($1, $2)", [.int(id), .string(text)])
            #expect(inserted.affectedRows == 1)
        }
        let rows = try conn.query("SELECT id, s FROM round_trip ORDER BY id")
        #expect(rows.count == Self.awkwardStrings.count)
        for row in rows.indices {
            let id = try #require(try rows.int(row, "id"))
            #expect(try rows.string(row, "s") == Self.awkwardStrings[id])
        }
        // Looked up by the injection-looking value itself: exactly that row.
        let found = try conn.query("SELECT id FROM round_trip WHERE s = $1", [.string(Self.awkwardStrings[2])])
        #expect(found.count == 1)
        #expect(try found.int(0, 0) == 2)
    }

    @Test("NULL parameters and NULL results")
    func nulls() throws {
        let conn = try PostgresTestEnvironment.connect()
        let rows = try conn.query(
            "SELECT $1::text AS s, $2::bigint AS i, $3::bool AS b, $4::float8 AS d, $5::bytea AS by, $6::timestamptz AS ts, $7::text[] AS a",
            [nil, nil, nil, nil, nil, nil, nil]
        )
        #expect(rows.count == 1)
        for column in 0..<rows.columnCount { #expect(rows.isNull(0, column)) }
        #expect(try rows.string(0, "s") == nil)
        #expect(try rows.int(0, "i") == nil)
        #expect(try rows.bool(0, "b") == nil)
        #expect(try rows.double(0, "d") == nil)
        #expect(try rows.bytes(0, "by") == nil)
        #expect(try rows.date(0, "ts") == nil)
        #expect(try rows.textArray(0, "a") == nil)
        #expect(try rows.isNull(0, "s"))
    }

    @Test("typed values round-trip through a table")
    func typedRoundTrip() throws {
        let conn = try PostgresTestEnvironment.connect()
        try conn.execute(
            """
            CREATE TEMP TABLE typed (
                id int PRIMARY KEY, i bigint, small int, d double precision, b boolean, raw bytea,
                doc jsonb, at timestamptz, amount numeric, tags text[], ip inet
            )
            """
        )
        let at = Date(timeIntervalSince1970: 1_714_566_896.789012)
        let bytes: [UInt8] = [0, 1, 39, 92, 127, 128, 255]
        let json = #"{"name": "O'Brien \"x\"", "items": [1, 2.5, null], "ação": true}"#
        let tags = ["a,b", "c\"d", "NULL", "", "{x}", "back\\slash", "ação 🚀"]
        try conn.query(
            "INSERT INTO typed VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            [1, .int(Int.min), 42, 0.1, true, .bytes(bytes), .json(json), .timestamp(at), .numeric("197.50"), .textArray(tags), "203.0.113.7"]
        )
        let rows = try conn.query("SELECT *, doc = $1::jsonb AS same_doc, at = $2 AS same_at FROM typed", [.json(json), .timestamp(at)])
        #expect(rows.count == 1)
        #expect(try rows.int(0, "i") == Int.min)
        #expect(try rows.int(0, "small") == 42)
        #expect(try rows.double(0, "d") == 0.1)
        #expect(try rows.bool(0, "b") == true)
        #expect(try rows.bytes(0, "raw") == bytes)
        #expect(try rows.bool(0, "same_doc") == true)
        #expect(try rows.bool(0, "same_at") == true)
        let readAt = try #require(try rows.date(0, "at"))
        #expect(abs(readAt.timeIntervalSince(at)) < 0.000_001)
        #expect(try rows.string(0, "amount") == "197.50")
        #expect(try rows.textArray(0, "tags") == tags.map { Optional($0) })
        #expect(try rows.string(0, "ip") == "203.0.113.7")
        #expect(rows.columnNames.first == "id")
    }

    @Test(
        "doubles round-trip exactly, including the special values",
        arguments: [0.1, 0.1 + 0.2, -1e-300, 1e300, Double.greatestFiniteMagnitude, Double.leastNonzeroMagnitude, -0.0, .infinity, -.infinity]
    )
    func doubles(value: Double) throws {
        let conn = try PostgresTestEnvironment.connect()
        let rows = try conn.query("SELECT $1 AS v", [.double(value)])
        #expect(try rows.double(0, "v") == value)
    }

    @Test("NaN round-trips")
    func nan() throws {
        let conn = try PostgresTestEnvironment.connect()
        let rows = try conn.query("SELECT $1 AS v", [.double(.nan)])
        #expect(try rows.double(0, "v")?.isNaN == true)
    }

    @Test(
        "timestamps round-trip to the microsecond, before 1970, on leap days and before year 1",
        arguments: [
            0.0,
            -0.000_001,  // 1969-12-31 23:59:59.999999
            951_782_400.5,  // 2000-02-29 00:00:00.5
            1_709_164_799.999_999,  // 2024-02-28 23:59:59.999999
            -62_135_596_800.0 - 86_400.0,  // 0001-12-31 BC
            253_402_300_799.0,  // 9999-12-31 23:59:59
        ]
    )
    func timestamps(seconds: Double) throws {
        let conn = try PostgresTestEnvironment.connect()
        let date = Date(timeIntervalSince1970: seconds)
        let rows = try conn.query(
            "SELECT $1 AS at, extract(epoch FROM $1)::float8 AS epoch",
            [.timestamp(date)]
        )
        let back = try #require(try rows.date(0, "at"))
        #expect(abs(back.timeIntervalSince1970 - seconds) < 0.000_002)
        let epoch = try #require(try rows.double(0, "epoch"))
        #expect(abs(epoch - seconds) < 0.000_002)
    }

    @Test("server-rendered timestamps, timestamps without zone and dates decode")
    func serverDates() throws {
        let conn = try PostgresTestEnvironment.connect()
        let rows = try conn.query(
            """
            SELECT '2024-05-01 12:34:56.5+05:30'::timestamptz AS tz,
                   '2024-05-01 12:34:56'::timestamp AS plain,
                   '2024-05-01'::date AS day,
                   'infinity'::timestamptz AS forever
            """
        )
        // 12:34:56.5 at +05:30 is 07:04:56.5 UTC.
        #expect(try rows.date(0, "tz") == Date(timeIntervalSince1970: 1_714_547_096.5))
        #expect(try rows.date(0, "plain") == Date(timeIntervalSince1970: 1_714_566_896))
        #expect(try rows.date(0, "day") == Date(timeIntervalSince1970: 1_714_521_600))
        let error = expectPostgresError { _ = try rows.date(0, "forever") }
        #expect(error?.kind == .decodingFailed)
    }

    @Test("integers at the edges, booleans and multiple rows")
    func integersAndRows() throws {
        let conn = try PostgresTestEnvironment.connect()
        let rows = try conn.query(
            "SELECT n, n % 2 = 0 AS even FROM unnest($1::bigint[]) AS t(n) ORDER BY n",
            [.textArray([String(Int.min), "-1", "0", "7", String(Int.max)])]
        )
        #expect(rows.count == 5)
        #expect(try rows.indices.map { try rows.int($0, "n") } == [Int.min, -1, 0, 7, Int.max])
        #expect(try rows.indices.map { try rows.bool($0, "even") } == [true, false, true, false, false])
        #expect(rows.commandTag == "SELECT 5")
    }

    @Test("a NUL byte in a parameter is refused, and the connection stays usable")
    func nulInParameter() throws {
        let conn = try PostgresTestEnvironment.connect()
        let error = expectPostgresError { try conn.query("SELECT $1::text", ["a\u{0}b"]) }
        #expect(error?.kind == .invalidArgument)
        #expect(try conn.query("SELECT 1 AS one").int(0, "one") == 1)
    }

    @Test("dates that are not finite instants within Postgres' range are refused", arguments: [Double.nan, .infinity, -.infinity, 1e15])
    func unrepresentableTimestamps(seconds: Double) throws {
        let conn = try PostgresTestEnvironment.connect()
        let error = expectPostgresError { try conn.query("SELECT $1 AS at", [.timestamp(Date(timeIntervalSince1970: seconds))]) }
        #expect(error?.kind == .invalidArgument)
    }

    @Test("reading a value as the wrong type or a missing column is a decoding error without the value")
    func decodingErrors() throws {
        let conn = try PostgresTestEnvironment.connect()
        let rows = try conn.query("SELECT $1::text AS email", ["someone@example.com"])
        let wrongType = expectPostgresError { _ = try rows.int(0, "email") }
        #expect(wrongType?.kind == .decodingFailed)
        #expect(wrongType?.description.contains("someone@example.com") == false)
        let missing = expectPostgresError { _ = try rows.string(0, "nope") }
        #expect(missing?.kind == .decodingFailed)
        #expect(rows.column(named: "email") == 0)
        #expect(rows.column(named: "nope") == nil)
    }

    @Test("execute runs a multi-statement script")
    func executeScript() throws {
        let conn = try PostgresTestEnvironment.connect()
        try conn.execute(
            """
            CREATE TEMP TABLE script (n int);
            INSERT INTO script VALUES (1), (2);
            INSERT INTO script SELECT n + 10 FROM script;
            """
        )
        #expect(try conn.query("SELECT sum(n) AS total FROM script").int(0, "total") == 26)
        #expect(conn.isHealthy)
        #expect(conn.serverVersion >= 100_000)
        #expect(conn.backendPID > 0)
    }
}
