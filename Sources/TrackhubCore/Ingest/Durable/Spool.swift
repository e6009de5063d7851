import Glibc

/// A local append-only file that holds envelopes while Redis is unreachable.
///
/// ingestd answers 2xx only after an envelope is durable; when Redis can't take it, the
/// envelope is appended here and `fsync`ed before the answer. The writer thread drains the
/// spool back into Redis, in order, once Redis returns.
///
/// Layout (in `directory`): `spool.log` holds records `[len u32 BE][crc32 u32 BE][payload]`,
/// payload = stream name, `\n`, envelope bytes. `spool.offset` holds the byte offset up to
/// which records have been acknowledged by Redis. A torn tail (crash mid-write) is detected by
/// its length/CRC and truncated at open; such a record was never acknowledged to a client.
///
/// Not thread-safe: owned by the ingest writer thread.
public final class Spool: @unchecked Sendable {
    public struct Record: Sendable, Equatable {
        public let stream: String
        public let payload: [UInt8]
        public init(stream: String, payload: [UInt8]) {
            self.stream = stream
            self.payload = payload
        }
    }

    /// A failed file operation on the spool, in the shape of ``PostgresError``: the operation
    /// (its kind) and the errno; the description holds no record content.
    public struct SpoolError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable, Equatable {
        /// The file operation that failed (`open log`, `fsync`, `write`, …).
        public let operation: String
        public let errno: Int32
        public var description: String { "spool \(operation) failed: \(String(cString: strerror(errno)))" }
        public var debugDescription: String { "Spool.SpoolError: \(description) (errno \(errno)) in \(operation)" }
    }

    public let directory: String
    private var logFD: Int32 = -1
    private var offsetFD: Int32 = -1
    /// Byte offset of the first record not yet in Redis.
    public private(set) var drainedOffset: Int = 0
    /// Size of the log file.
    public private(set) var size: Int = 0
    /// Records written but not yet drained.
    public private(set) var pendingCount: Int = 0

    public var isEmpty: Bool { drainedOffset >= size }

    public init(directory: String) throws {
        self.directory = directory
        try Self.makeDirectory(directory)
        logFD = open(directory + "/spool.log", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard logFD >= 0 else { throw SpoolError(operation: "open log", errno: errno) }
        offsetFD = open(directory + "/spool.offset", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard offsetFD >= 0 else { throw SpoolError(operation: "open offset", errno: errno) }
        try recover()
    }

    deinit {
        if logFD >= 0 { close(logFD) }
        if offsetFD >= 0 { close(offsetFD) }
    }

    /// Bytes a record takes in the log: header (length + CRC), stream name, newline, envelope.
    public static func recordSize(stream: String, payload: [UInt8]) -> Int {
        8 + stream.utf8.count + 1 + payload.count
    }

    /// Appends records and fsyncs once for all of them (group commit).
    public func append(_ records: [Record]) throws {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(records.reduce(0) { $0 + $1.payload.count + $1.stream.utf8.count + 9 })
        for r in records {
            var payload = Array(r.stream.utf8)
            payload.append(0x0A)
            payload.append(contentsOf: r.payload)
            Self.appendUInt32(&buffer, UInt32(payload.count))
            Self.appendUInt32(&buffer, CRC32.checksum(payload))
            buffer.append(contentsOf: payload)
        }
        try writeAll(logFD, buffer, at: size)
        guard fsync(logFD) == 0 else { throw SpoolError(operation: "fsync", errno: errno) }
        size += buffer.count
        pendingCount += records.count
    }

    /// Reads up to `limit` undrained records, with the offset just past the last one.
    public func peek(limit: Int) throws -> (records: [Record], endOffset: Int) {
        var records: [Record] = []
        var offset = drainedOffset
        while records.count < limit, offset < size {
            guard let (record, next) = try readRecord(at: offset) else { break }
            records.append(record)
            offset = next
        }
        return (records, offset)
    }

    /// Marks everything up to `offset` as acknowledged by Redis; compacts when fully drained.
    public func markDrained(upTo offset: Int, count: Int) throws {
        drainedOffset = offset
        pendingCount = max(0, pendingCount - count)
        if drainedOffset >= size {
            // Truncate the log first: a crash before the offset reset leaves offset > size,
            // which `recover` reads as "empty".
            guard ftruncate(logFD, 0) == 0, fsync(logFD) == 0 else { throw SpoolError(operation: "truncate", errno: errno) }
            size = 0
            drainedOffset = 0
            pendingCount = 0
        }
        try writeOffset(drainedOffset)
    }

    // MARK: - Internals

    private func recover() throws {
        var st = stat()
        guard fstat(logFD, &st) == 0 else { throw SpoolError(operation: "stat", errno: errno) }
        size = Int(st.st_size)
        var raw = [UInt8](repeating: 0, count: 8)
        let n = pread(offsetFD, &raw, 8, 0)
        var stored = 0
        if n == 8 { stored = Int(raw.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }) }
        if stored > size { stored = size }
        drainedOffset = stored
        // Validate every record from the offset; cut a torn tail.
        var offset = drainedOffset
        var count = 0
        while offset < size {
            guard let (_, next) = try readRecord(at: offset) else { break }
            offset = next
            count += 1
        }
        if offset < size {
            guard ftruncate(logFD, off_t(offset)) == 0, fsync(logFD) == 0 else {
                throw SpoolError(operation: "truncate torn tail", errno: errno)
            }
            size = offset
        }
        pendingCount = count
        if drainedOffset >= size && size > 0 {
            try markDrained(upTo: size, count: 0)
        }
    }

    private func readRecord(at offset: Int) throws -> (Record, Int)? {
        guard offset + 8 <= size else { return nil }
        var header = [UInt8](repeating: 0, count: 8)
        guard pread(logFD, &header, 8, off_t(offset)) == 8 else { return nil }
        let length = Int(Self.readUInt32(header, 0))
        let crc = Self.readUInt32(header, 4)
        guard length > 0, offset + 8 + length <= size else { return nil }
        var payload = [UInt8](repeating: 0, count: length)
        var read = 0
        while read < length {
            let n = payload.withUnsafeMutableBytes { buf in
                pread(logFD, buf.baseAddress! + read, length - read, off_t(offset + 8 + read))
            }
            if n <= 0 { return nil }
            read += n
        }
        guard CRC32.checksum(payload) == crc, let nl = payload.firstIndex(of: 0x0A) else { return nil }
        let stream = String(decoding: payload[..<nl], as: UTF8.self)
        return (Record(stream: stream, payload: Array(payload[(nl + 1)...])), offset + 8 + length)
    }

    private func writeOffset(_ value: Int) throws {
        var raw = [UInt8](repeating: 0, count: 8)
        var v = UInt64(value)
        for i in (0..<8).reversed() { raw[i] = UInt8(v & 0xFF); v >>= 8 }
        try writeAll(offsetFD, raw, at: 0)
        guard fsync(offsetFD) == 0 else { throw SpoolError(operation: "fsync offset", errno: errno) }
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8], at position: Int) throws {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                pwrite(fd, buf.baseAddress! + written, bytes.count - written, off_t(position + written))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw SpoolError(operation: "write", errno: errno)
            }
            written += n
        }
    }

    private static func makeDirectory(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw SpoolError(operation: "mkdir \(current)", errno: errno)
            }
        }
    }

    private static func appendUInt32(_ buffer: inout [UInt8], _ v: UInt32) {
        buffer.append(UInt8(v >> 24)); buffer.append(UInt8((v >> 16) & 0xFF))
        buffer.append(UInt8((v >> 8) & 0xFF)); buffer.append(UInt8(v & 0xFF))
    }

    private static func readUInt32(_ b: [UInt8], _ i: Int) -> UInt32 {
        (UInt32(b[i]) << 24) | (UInt32(b[i + 1]) << 16) | (UInt32(b[i + 2]) << 8) | UInt32(b[i + 3])
    }
}
