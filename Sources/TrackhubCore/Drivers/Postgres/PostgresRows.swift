public import Foundation

/// The result of one statement, copied out of libpq's `PGresult` (which is cleared at once),
/// so it is a plain value: `Sendable`, free to outlive the connection and cross threads.
///
/// Values are kept in Postgres' text format and parsed on access. Typed accessors return `nil`
/// for SQL NULL and throw ``PostgresError/Kind/decodingFailed`` when the text is not of the
/// requested type; accessors by column name throw the same when no column has that name.
/// Row and column indexes are zero-based; an index out of range is a programming error.
public struct PostgresRows: Sendable {
    /// Column names, in select-list order.
    public let columnNames: [String]
    /// Column type OIDs (`PQftype`), in select-list order.
    public let columnTypes: [UInt32]
    /// Number of rows returned.
    public let count: Int
    /// Rows inserted/updated/deleted (`PQcmdTuples`), or rows returned by a SELECT; 0 when the
    /// command reports none.
    public let affectedRows: Int
    /// The command tag, e.g. `INSERT 0 3`, `SELECT 1`, `COMMIT` (`PQcmdStatus`).
    public let commandTag: String

    /// Row-major cells; nil is SQL NULL.
    private let cells: [String?]
    private let columnIndex: [String: Int]

    init(columnNames: [String], columnTypes: [UInt32], cells: [String?], count: Int, affectedRows: Int, commandTag: String) {
        self.columnNames = columnNames
        self.columnTypes = columnTypes
        self.cells = cells
        self.count = count
        self.affectedRows = affectedRows
        self.commandTag = commandTag
        var index: [String: Int] = [:]
        // With duplicate names (`SELECT 1 AS a, 2 AS a`) the first one wins, as in libpq's PQfnumber.
        for (i, name) in columnNames.enumerated() where index[name] == nil { index[name] = i }
        self.columnIndex = index
    }

    public var isEmpty: Bool { count == 0 }
    public var columnCount: Int { columnNames.count }
    /// `0..<count`, for `for row in rows.indices`.
    public var indices: Range<Int> { 0..<count }

    /// The index of the column called `name`, or nil.
    public func column(named name: String) -> Int? { columnIndex[name] }

    // MARK: By index

    public func isNull(_ row: Int, _ column: Int) -> Bool { cell(row, column) == nil }

    /// The raw text of a value (for `json`/`jsonb`, `numeric`, `inet`, … this is the value).
    public func string(_ row: Int, _ column: Int) -> String? { cell(row, column) }

    public func int(_ row: Int, _ column: Int) throws -> Int? {
        try decode(row, column, "integer") { Int($0) }
    }

    public func double(_ row: Int, _ column: Int) throws -> Double? {
        try decode(row, column, "double") { PostgresText.decodeDouble($0) }
    }

    public func bool(_ row: Int, _ column: Int) throws -> Bool? {
        try decode(row, column, "boolean") { $0 == "t" ? true : $0 == "f" ? false : nil }
    }

    /// A `bytea` value.
    public func bytes(_ row: Int, _ column: Int) throws -> [UInt8]? {
        try decode(row, column, "bytea") { PostgresText.decodeBytea($0) }
    }

    /// A `timestamptz`, `timestamp` (read as UTC) or `date` (midnight UTC) value.
    public func date(_ row: Int, _ column: Int) throws -> Date? {
        try decode(row, column, "timestamp") { PostgresText.decodeTimestamp($0) }
    }

    /// A one-dimensional array's elements as text (`text[]`, `int[]`, …); NULL elements are nil.
    public func textArray(_ row: Int, _ column: Int) throws -> [String?]? {
        try decode(row, column, "array") { PostgresText.decodeTextArray($0) }
    }

    // MARK: By column name

    public func isNull(_ row: Int, _ column: String) throws -> Bool { try isNull(row, index(of: column)) }
    public func string(_ row: Int, _ column: String) throws -> String? { try string(row, index(of: column)) }
    public func int(_ row: Int, _ column: String) throws -> Int? { try int(row, index(of: column)) }
    public func double(_ row: Int, _ column: String) throws -> Double? { try double(row, index(of: column)) }
    public func bool(_ row: Int, _ column: String) throws -> Bool? { try bool(row, index(of: column)) }
    public func bytes(_ row: Int, _ column: String) throws -> [UInt8]? { try bytes(row, index(of: column)) }
    public func date(_ row: Int, _ column: String) throws -> Date? { try date(row, index(of: column)) }
    public func textArray(_ row: Int, _ column: String) throws -> [String?]? { try textArray(row, index(of: column)) }

    // MARK: Plumbing

    private func index(of name: String) throws -> Int {
        guard let index = columnIndex[name] else {
            throw PostgresError(.decodingFailed, "result has no column named \"\(name)\"")
        }
        return index
    }

    private func cell(_ row: Int, _ column: Int) -> String? {
        precondition(row >= 0 && row < count, "row \(row) out of range 0..<\(count)")
        precondition(column >= 0 && column < columnNames.count, "column \(column) out of range 0..<\(columnNames.count)")
        return cells[row * columnNames.count + column]
    }

    /// The error names the column and the wanted type, never the value (it may be personal data).
    private func decode<T>(_ row: Int, _ column: Int, _ type: String, _ parse: (String) -> T?) throws -> T? {
        guard let text = cell(row, column) else { return nil }
        guard let value = parse(text) else {
            throw PostgresError(.decodingFailed, "column \"\(columnNames[column])\" (row \(row)) is not a valid \(type)")
        }
        return value
    }
}
