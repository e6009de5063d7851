extension PostgresConnection {
    /// Inserts many rows with as few round trips as the protocol allows: one multi-row
    /// `INSERT … VALUES ($1,$2),($3,$4),…` per chunk, every value a parameter.
    ///
    /// Ledger rows, touchpoints and dedupe keys arrive in hundreds per batch; one statement
    /// per row would cost a network round trip and a server parse each. A statement carries at
    /// most 65535 parameters, so rows are split into chunks of `65535 / columns.count`. When
    /// more than one chunk is needed and no transaction is open, the chunks run in one
    /// transaction so the batch is all-or-nothing; inside the caller's transaction they simply
    /// join it.
    ///
    /// - Parameters:
    ///   - table: table name, optionally schema-qualified (`public.touchpoints`); each
    ///     dot-separated part is quoted as an identifier, so it cannot inject SQL.
    ///   - columns: column names, quoted the same way.
    ///   - rows: one array per row, each exactly `columns.count` long; nil is NULL.
    ///   - onConflictDoNothing: appends `ON CONFLICT DO NOTHING`, so rows that would violate any
    ///     unique constraint are skipped — the idempotent write for at-least-once delivery.
    /// - Returns: the number of rows actually inserted (skipped conflicts are not counted).
    @discardableResult
    public func insertBatch(
        table: String,
        columns: [String],
        rows: [[PostgresValue?]],
        onConflictDoNothing: Bool = false
    ) throws -> Int {
        guard !columns.isEmpty else {
            throw PostgresError(.invalidArgument, "insertBatch into \(table) needs at least one column")
        }
        guard columns.count <= Self.maxParameters else {
            throw PostgresError(.invalidArgument, "insertBatch into \(table): \(columns.count) columns exceed the parameter limit")
        }
        if let bad = rows.firstIndex(where: { $0.count != columns.count }) {
            throw PostgresError(
                .invalidArgument,
                "insertBatch into \(table): row \(bad) has \(rows[bad].count) values for \(columns.count) columns"
            )
        }
        guard !rows.isEmpty else { return 0 }

        let prefix = try "INSERT INTO \(PostgresIdentifier.qualified(table)) ("
            + columns.map { try PostgresIdentifier.quote($0) }.joined(separator: ", ") + ") VALUES "
        let suffix = onConflictDoNothing ? " ON CONFLICT DO NOTHING" : ""
        let rowsPerChunk = Self.maxParameters / columns.count

        func insertChunks(_ conn: PostgresConnection) throws -> Int {
            var inserted = 0
            var start = 0
            while start < rows.count {
                let end = min(start + rowsPerChunk, rows.count)
                let chunk = rows[start..<end]
                let sql = prefix + Self.valuesList(rows: chunk.count, columns: columns.count) + suffix
                inserted += try conn.query(sql, Array(chunk.joined())).affectedRows
                start = end
            }
            return inserted
        }

        if rows.count > rowsPerChunk && !isInTransaction {
            return try transaction(insertChunks)
        }
        return try insertChunks(self)
    }

    /// `($1, $2), ($3, $4), …` for `rows` × `columns` parameters.
    static func valuesList(rows: Int, columns: Int) -> String {
        var sql = ""
        sql.reserveCapacity(rows * columns * 8)
        var parameter = 1
        for row in 0..<rows {
            sql += row == 0 ? "(" : ", ("
            for column in 0..<columns {
                if column > 0 { sql += ", " }
                sql += "$"
                sql += String(parameter)
                parameter += 1
            }
            sql += ")"
        }
        return sql
    }
}

/// Quoting of SQL identifiers (table and column names) that are not literals in the source.
enum PostgresIdentifier {
    /// `"name"` with embedded `"` doubled — Postgres' own quoting rule; a quoted identifier
    /// is case-sensitive, so names are expected in the lower case the schema uses.
    static func quote(_ name: String) throws -> String {
        guard !name.isEmpty, !name.utf8.contains(0) else {
            throw PostgresError(.invalidArgument, "an identifier must be non-empty and contain no NUL byte")
        }
        return "\"" + name.replacing("\"", with: "\"\"") + "\""
    }

    /// `schema.table` → `"schema"."table"`; a name without a dot is quoted whole.
    static func qualified(_ name: String) throws -> String {
        try name.split(separator: ".", omittingEmptySubsequences: false)
            .map { try quote(String($0)) }
            .joined(separator: ".")
    }
}
