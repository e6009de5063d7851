import CLibPQ
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking libpq connection.
///
/// Every call blocks the calling thread on network I/O, so a connection is used only from a
/// thread that may block — a ``PostgresPool`` thread or a CLI's main thread — never from
/// Swift's cooperative pool. Statements go through `PQexecParams` with the values as separate
/// parameters; nothing is ever formatted into SQL or into the connection string.
///
/// Not thread-safe: libpq allows one thread at a time per `PGconn`. The class is
/// `@unchecked Sendable` only so a connection can be handed to the thread that will use it
/// (``PostgresPool`` guarantees one user at a time); callers must not share it concurrently.
public final class PostgresConnection: @unchecked Sendable {
    /// The most parameters one statement can carry: the wire protocol counts them in 16 bits.
    public static let maxParameters = 65535

    /// The `PGconn*`. Freed only in ``close()``, which sets it to nil.
    private var handle: OpaquePointer?
    private let parameters: PostgresConnectParameters
    /// Written by libpq's notice receiver; outlives `handle` (freed in `close()`, before deinit ends).
    private let notices = ServerNotices()

    /// Connects with `PQconnectdbParams(…, expand_dbname: 1)`.
    ///
    /// - Parameters:
    ///   - conninfo: a `postgres://user:password@host:port/database?sslmode=…` URL or a
    ///     `host=… dbname=…` string. Passed to libpq untouched.
    ///   - applicationName: shown in `pg_stat_activity` unless the string sets its own.
    ///   - connectTimeoutSeconds: default for `connect_timeout` (the string may override it).
    /// - Throws: ``PostgresError/Kind/connectionFailed``, whose text never contains the string
    ///   or its password.
    public init(_ conninfo: String, applicationName: String = "trackhub", connectTimeoutSeconds: Int = 5) throws {
        parameters = try PostgresConnectParameters(
            conninfo: conninfo,
            applicationName: applicationName,
            connectTimeoutSeconds: connectTimeoutSeconds
        )
        handle = parameters.withCArrays { keywords, values in PQconnectdbParams(keywords, values, 1) }
        guard let conn = handle else {
            throw PostgresError(.connectionFailed, "libpq could not allocate a connection")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let error = PostgresError(.connectionFailed, parameters.scrub(Self.errorMessage(conn)))
            close()
            throw error
        }
        Self.installNoticeReceiver(conn, notices)
    }

    deinit { close() }

    /// Closes the connection (`PQfinish`). The only place the `PGconn` is freed; safe to call twice.
    public func close() {
        if let conn = handle {
            handle = nil
            PQfinish(conn)
        }
    }

    /// False once ``close()`` has run.
    public var isOpen: Bool { handle != nil }

    /// Whether the connection is usable: open, `PQstatus` OK, and — probed without blocking —
    /// not closed by the server while idle.
    ///
    /// `PQstatus` alone only learns of a dead connection on the next I/O, so a backend killed
    /// by a server restart or `pg_terminate_backend` would look fine and fail the next
    /// statement. An idle connection receives nothing but notices, notifications, parameter
    /// changes and — when the server drops it — a FATAL message followed by EOF. So if the
    /// socket is readable, let libpq read and parse what is there (`PQconsumeInput`,
    /// `PQisBusy`: both non-blocking). Reaching EOF marks the connection bad; a FATAL message
    /// does too, even if the server process has not closed the socket yet.
    public var isHealthy: Bool {
        guard let conn = handle, PQstatus(conn) == CONNECTION_OK else { return false }
        // ACTIVE (a statement still running) or UNKNOWN (broken) cannot take a new statement.
        let transaction = PQtransactionStatus(conn)
        guard transaction != PQTRANS_ACTIVE, transaction != PQTRANS_UNKNOWN else { return false }
        var rounds = 0
        while rounds < 8, Self.isReadable(PQsocket(conn)) {
            rounds += 1
            if PQconsumeInput(conn) == 0 { break }
        }
        // Parsing hands unsolicited messages (an idle-time FATAL among them) to the notice receiver.
        if rounds > 0 { _ = PQisBusy(conn) }
        return PQstatus(conn) == CONNECTION_OK && !notices.sawFatal
    }

    /// Re-establishes the connection with the same parameters (`PQreset`). Session state
    /// (open transaction, prepared statements, `SET`s) is gone; the pinned settings are not.
    /// - Throws: ``PostgresError/Kind/connectionFailed`` if the server cannot be reached, or the
    ///   connection was ``close()``d (make a new one instead).
    public func reset() throws {
        guard let conn = handle else {
            throw PostgresError(.connectionFailed, "connection was closed; open a new one")
        }
        PQreset(conn)
        guard PQstatus(conn) == CONNECTION_OK else {
            throw PostgresError(.connectionFailed, parameters.scrub(Self.errorMessage(conn)))
        }
        notices.sawFatal = false
    }

    /// The server's version as an integer (150004 for 15.4), or 0 when not connected.
    public var serverVersion: Int { handle.map { Int(PQserverVersion($0)) } ?? 0 }

    /// The server process id serving this connection (for logs and `pg_stat_activity`), 0 when closed.
    public var backendPID: Int { handle.map { Int(PQbackendPID($0)) } ?? 0 }

    /// True while a transaction block is open (including one that failed and awaits ROLLBACK).
    public var isInTransaction: Bool {
        guard let conn = handle else { return false }
        let status = PQtransactionStatus(conn)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// True when a statement in the open transaction failed: everything until ROLLBACK fails.
    var isInFailedTransaction: Bool {
        guard let conn = handle else { return false }
        return PQtransactionStatus(conn) == PQTRANS_INERROR
    }

    // MARK: - Statements

    /// Runs one statement with `$1…$n` parameters (`PQexecParams`, text format) and returns
    /// its rows.
    ///
    /// One statement only — the extended protocol refuses several; use ``execute(_:)`` for
    /// parameterless scripts.
    /// - Throws: ``PostgresError``: `queryFailed` (with SQLSTATE) when the server rejects it,
    ///   `connectionLost` when the connection broke (the statement may or may not have run),
    ///   `invalidArgument` for a value that cannot be sent.
    @discardableResult
    public func query(_ sql: String, _ params: [PostgresValue?] = []) throws -> PostgresRows {
        guard params.count <= Self.maxParameters else {
            throw PostgresError(.invalidArgument, "\(params.count) parameters; one statement takes at most \(Self.maxParameters)")
        }
        guard !sql.utf8.contains(0) else {
            throw PostgresError(.invalidArgument, "SQL text contains a NUL byte")
        }
        var texts: [String?] = []
        texts.reserveCapacity(params.count)
        var types: [Oid] = []
        types.reserveCapacity(params.count)
        for (i, param) in params.enumerated() {
            let text = try param?.encodedText()
            if let text, text.utf8.contains(0) {
                throw PostgresError(.invalidArgument, "parameter $\(i + 1) contains a NUL byte, which Postgres text cannot hold")
            }
            texts.append(text)
            types.append(param?.typeOID ?? 0)
        }
        let conn = try liveHandle()
        let result = withParameterPointers(texts) { values in
            types.withUnsafeBufferPointer { typeOIDs in
                PQexecParams(conn, sql, Int32(texts.count), typeOIDs.baseAddress, values, nil, nil, 0)
            }
        }
        return try consume(result, conn, redacting: texts)
    }

    /// Runs parameterless SQL that may hold several statements separated by `;` (`PQexec`,
    /// simple protocol) — for migrations and transaction control. Outside a transaction block
    /// the statements run as one implicit transaction.
    public func execute(_ sql: String) throws {
        guard !sql.utf8.contains(0) else {
            throw PostgresError(.invalidArgument, "SQL text contains a NUL byte")
        }
        let conn = try liveHandle()
        _ = try consume(PQexec(conn, sql), conn, redacting: [])
    }

    // MARK: - Result handling

    func liveHandle() throws -> OpaquePointer {
        guard let conn = handle else { throw PostgresError(.connectionLost, "connection is closed") }
        guard PQstatus(conn) == CONNECTION_OK else {
            throw PostgresError(.connectionLost, "connection is broken; reset it before use")
        }
        return conn
    }

    /// Turns a `PGresult` into rows or an error, and clears it.
    func consume(_ result: OpaquePointer?, _ conn: OpaquePointer, redacting values: [String?]) throws -> PostgresRows {
        guard let result else {
            // No result at all: out of memory, or the statement could not be sent.
            let kind: PostgresError.Kind = PQstatus(conn) == CONNECTION_OK ? .queryFailed : .connectionLost
            throw PostgresError(kind, Self.errorMessage(conn))
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return Self.rows(from: result)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            throw serverError(result, conn, redacting: values)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            abandonCopy(conn)
            throw PostgresError(.unexpectedResult, "COPY is not supported by this client; the copy was aborted")
        default:
            throw PostgresError(.unexpectedResult, "unexpected libpq result status \(status.rawValue)")
        }
    }

    private func serverError(_ result: OpaquePointer, _ conn: OpaquePointer, redacting values: [String?]) -> PostgresError {
        let lost = PQstatus(conn) != CONNECTION_OK
        let primary = Self.field(result, DiagnosticField.primary)
            ?? Self.nonEmpty(Self.oneLine(PQresultErrorMessage(result)))
            ?? Self.errorMessage(conn)
        return PostgresError(
            lost ? .connectionLost : .queryFailed,
            PostgresError.redacting(values.compactMap { $0 }, in: primary),
            sqlState: Self.field(result, DiagnosticField.sqlState),
            detail: Self.field(result, DiagnosticField.detail),
            hint: Self.field(result, DiagnosticField.hint),
            constraintName: Self.field(result, DiagnosticField.constraintName)
        )
    }

    /// A COPY started by a statement we did not expect to start one: end it so the connection
    /// returns to idle instead of being stuck in copy mode.
    private func abandonCopy(_ conn: OpaquePointer) {
        var guardCount = 0
        while let next = PQgetResult(conn), guardCount < 1000 {
            guardCount += 1
            switch PQresultStatus(next) {
            case PGRES_COPY_IN, PGRES_COPY_BOTH:
                _ = PQputCopyEnd(conn, "COPY is not supported by this client")
            case PGRES_COPY_OUT:
                var buffer: UnsafeMutablePointer<CChar>?
                while PQgetCopyData(conn, &buffer, 0) > 0 {
                    if let b = buffer { PQfreemem(b) }
                    buffer = nil
                }
            default:
                break
            }
            PQclear(next)
        }
    }

    private static func rows(from result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var names: [String] = []
        var types: [UInt32] = []
        names.reserveCapacity(columnCount)
        types.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            names.append(PQfname(result, Int32(column)).map { String(cString: $0) } ?? "")
            types.append(PQftype(result, Int32(column)))
        }
        var cells: [String?] = []
        cells.reserveCapacity(rowCount * columnCount)
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                let r = Int32(row)
                let c = Int32(column)
                if PQgetisnull(result, r, c) != 0 {
                    cells.append(nil)
                } else if let value = PQgetvalue(result, r, c) {
                    let length = Int(PQgetlength(result, r, c))
                    cells.append(String(decoding: UnsafeRawBufferPointer(start: value, count: length), as: UTF8.self))
                } else {
                    cells.append(nil)
                }
            }
        }
        let tag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
        return PostgresRows(
            columnNames: names,
            columnTypes: types,
            cells: cells,
            count: rowCount,
            affectedRows: affected,
            commandTag: tag
        )
    }

    private static func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        PQresultErrorField(result, code).map { String(cString: $0) }
    }

    static func errorMessage(_ conn: OpaquePointer) -> String {
        nonEmpty(oneLine(PQerrorMessage(conn))) ?? "unknown libpq error"
    }

    /// libpq's own messages span lines (`…failed: Connection refused\n\tIs the server
    /// running…`); logs are one line per event, so lines are joined with single spaces.
    private static func oneLine(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        return String(cString: message)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    private static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }

    /// Replaces libpq's default notice handling, which prints notices (`NOTICE: relation …
    /// already exists, skipping`) to stderr: they can quote values and would interleave with
    /// structured logs. Notices are dropped; the one thing kept is whether the server sent a
    /// FATAL message while no statement was running — a terminated backend's goodbye, which
    /// libpq reports through this hook rather than as an error.
    private static func installNoticeReceiver(_ conn: OpaquePointer, _ notices: ServerNotices) {
        let context = Unmanaged.passUnretained(notices).toOpaque()
        _ = PQsetNoticeReceiver(
            conn,
            { context, result in
                guard let context, let result,
                    let severity = PQresultErrorField(result, DiagnosticField.severity)
                else { return }
                let level = String(cString: severity)
                if level == "FATAL" || level == "PANIC" {
                    Unmanaged<ServerNotices>.fromOpaque(context).takeUnretainedValue().sawFatal = true
                }
            },
            context
        )
    }

    private static func isReadable(_ socket: Int32) -> Bool {
        guard socket >= 0 else { return false }
        var descriptor = pollfd(fd: socket, events: Int16(truncatingIfNeeded: POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }
}

/// `PG_DIAG_*` field codes. libpq defines them as character-literal macros (`'C'`), which
/// Swift does not import, so they are spelled out from `postgres_ext.h`.
private enum DiagnosticField {
    static let sqlState = Int32(UInt8(ascii: "C"))
    static let primary = Int32(UInt8(ascii: "M"))
    static let detail = Int32(UInt8(ascii: "D"))
    static let hint = Int32(UInt8(ascii: "H"))
    static let constraintName = Int32(UInt8(ascii: "n"))
    /// `PG_DIAG_SEVERITY_NONLOCALIZED`: ERROR, FATAL, PANIC… whatever the server's language.
    static let severity = Int32(UInt8(ascii: "V"))
}

/// What the notice receiver learned. Touched only by the thread using the connection (libpq
/// calls the receiver synchronously, inside that thread's libpq call).
private final class ServerNotices {
    var sawFatal = false
}

/// Calls `body` with a C array of pointers to NUL-terminated copies of `texts` (nil stays a
/// NULL pointer, which libpq sends as SQL NULL). One contiguous buffer holds every value, so a
/// 65535-parameter batch costs two allocations, not 65535.
private func withParameterPointers<R>(_ texts: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    guard !texts.isEmpty else { return body(nil) }
    var flat: [UInt8] = []
    flat.reserveCapacity(texts.reduce(0) { $0 + ($1?.utf8.count ?? 0) + 1 })
    var offsets: [Int?] = []
    offsets.reserveCapacity(texts.count)
    for text in texts {
        if let text {
            offsets.append(flat.count)
            flat.append(contentsOf: text.utf8)
            flat.append(0)
        } else {
            offsets.append(nil)
        }
    }
    if flat.isEmpty { flat.append(0) }
    return flat.withUnsafeBufferPointer { buffer in
        let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
        let pointers: [UnsafePointer<CChar>?] = offsets.map { $0.map { base + $0 } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
