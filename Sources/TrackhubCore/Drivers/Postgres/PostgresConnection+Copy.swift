import CLibPQ

extension PostgresConnection {
    /// Appends rows with `COPY table (columns) FROM STDIN` (text format): the cheapest way into
    /// Postgres for hundreds of rows at once.
    ///
    /// Why not always ``insertBatch(table:columns:rows:onConflictDoNothing:)``: a multi-row
    /// `INSERT … VALUES ($1, …), …` with thousands of parameters is parsed, analysed and planned
    /// as thousands of expressions on every call. For the attempt ledger that was half of
    /// Postgres' time per event; COPY reads the same rows as a stream. COPY has no
    /// `ON CONFLICT`: a row that violates a constraint fails the whole COPY (and, inside a
    /// transaction, the transaction), so use it where conflicts are not expected.
    ///
    /// Values use the same text encoding as statement parameters; every value is encoded
    /// before anything is sent, so an unencodable value throws with nothing written.
    /// - Returns: the number of rows copied.
    /// - Throws: ``PostgresError`` like ``query(_:_:)`` (values are redacted from messages).
    @discardableResult
    public func copyIn(table: String, columns: [String], rows: [[PostgresValue?]]) throws -> Int {
        guard !columns.isEmpty else {
            throw PostgresError(.invalidArgument, "copyIn into \(table) needs at least one column")
        }
        if let bad = rows.firstIndex(where: { $0.count != columns.count }) {
            throw PostgresError(.invalidArgument, "copyIn into \(table): row \(bad) has \(rows[bad].count) values for \(columns.count) columns")
        }
        guard !rows.isEmpty else { return 0 }
        let sql = try "COPY \(PostgresIdentifier.qualified(table)) ("
            + columns.map { try PostgresIdentifier.quote($0) }.joined(separator: ", ") + ") FROM STDIN"

        var data: [UInt8] = []
        data.reserveCapacity(rows.count * columns.count * 24)
        var texts: [String?] = []  // kept only to redact error messages
        texts.reserveCapacity(rows.count * columns.count)
        for row in rows {
            for (i, value) in row.enumerated() {
                if i > 0 { data.append(UInt8(ascii: "\t")) }
                guard let value else {
                    data.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N")])
                    continue
                }
                let text = try value.encodedText()
                texts.append(text)
                try Self.appendCopyText(text, to: &data)
            }
            data.append(UInt8(ascii: "\n"))
        }

        let conn = try liveHandle()
        guard let start = PQexec(conn, sql) else {
            throw PostgresError(PQstatus(conn) == CONNECTION_OK ? .queryFailed : .connectionLost, Self.errorMessage(conn))
        }
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            // An error (unknown table or column…): reported like any statement's.
            _ = try consume(start, conn, redacting: [])
            throw PostgresError(.unexpectedResult, "COPY did not start")
        }
        PQclear(start)
        let sent = data.withUnsafeBufferPointer { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = min(1 << 16, buffer.count - offset)
                let ok = buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    PQputCopyData(conn, $0 + offset, Int32(n)) == 1
                }
                guard ok else { return false }
                offset += n
            }
            return true
        }
        let ended = PQputCopyEnd(conn, sent ? nil : "client failed to send the data") == 1
        // Read every result (the COPY's, then nil); the first error wins.
        var outcome: Result<Int, any Error> = .failure(PostgresError(.connectionLost, Self.errorMessage(conn)))
        var first = true
        while let result = PQgetResult(conn) {
            if first {
                first = false
                outcome = Result { try consume(result, conn, redacting: texts).affectedRows }
            } else {
                PQclear(result)
            }
        }
        if !ended, case .success = outcome {
            throw PostgresError(.connectionLost, Self.errorMessage(conn))
        }
        return try outcome.get()
    }

    /// `text` escaped for COPY's text format: backslash, tab, newline and carriage return.
    static func appendCopyText(_ text: String, to data: inout [UInt8]) throws {
        // Most values need no escape: copy them whole (a scan of contiguous bytes; the
        // generic `utf8.contains` was a twentieth of dispatchd's CPU).
        var copy = text
        let clean = copy.withUTF8 { utf8 -> Bool in
            guard !utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 < 0x20 }) else { return false }
            data.append(contentsOf: utf8)
            return true
        }
        if clean { return }
        for byte in copy.utf8 {
            switch byte {
            case 0:
                throw PostgresError(.invalidArgument, "a COPY value contains a NUL byte, which Postgres text cannot hold")
            case UInt8(ascii: "\\"): data.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\t"): data.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case UInt8(ascii: "\n"): data.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): data.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            default: data.append(byte)
            }
        }
    }
}
