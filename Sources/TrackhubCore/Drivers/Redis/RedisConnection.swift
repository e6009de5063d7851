import CHiredis
public import Foundation

/// One blocking hiredis connection.
///
/// Every call blocks the calling thread on network I/O, so a connection is only ever used
/// from a dedicated thread (the ingest writer) or a thread pool (``BlockingPool``) — never
/// from Swift's cooperative pool. Commands go through `redisCommandArgv` /
/// `redisAppendCommandArgv` only: binary-safe, and nothing is ever formatted into a command.
///
/// Not thread-safe: one thread at a time. It is `@unchecked Sendable` only so it can be handed
/// to the thread that owns it; callers must not share it concurrently.
public final class RedisConnection: @unchecked Sendable {
    private var context: UnsafeMutablePointer<redisContext>?
    public let endpoint: RedisEndpoint

    /// Connects, authenticates and selects the database. Throws `RedisError(.connection)`.
    public init(endpoint: RedisEndpoint, timeout: Duration = .seconds(2)) throws {
        self.endpoint = endpoint
        let tv = Self.timeval(timeout)
        let ctx: UnsafeMutablePointer<redisContext>?
        switch endpoint.address {
        case .tcp(let host, let port):
            ctx = redisConnectWithTimeout(host, Int32(port), tv)
        case .unix(let path):
            ctx = redisConnectUnixWithTimeout(path, tv)
        }
        guard let ctx else { throw RedisError(.connection, "cannot allocate redis context") }
        if ctx.pointee.err != 0 {
            let message = Self.errorString(ctx)
            redisFree(ctx)
            throw RedisError(.connection, "connect to \(endpoint) failed: \(message)")
        }
        redisSetTimeout(ctx, tv)
        redisEnableKeepAlive(ctx)
        self.context = ctx
        if let auth = endpoint.authCommand {
            let reply = try command(auth)
            if reply.errorMessage != nil {
                close()
                throw RedisError(.connection, "redis AUTH failed")
            }
        }
        if endpoint.database != 0 {
            _ = try command(["SELECT", String(endpoint.database)])
        }
    }

    deinit { close() }

    /// Frees the hiredis context; the only place it is freed.
    public func close() {
        if let ctx = context {
            redisFree(ctx)
            context = nil
        }
    }

    public var isOpen: Bool { context != nil }

    /// Changes the timeout of the commands that follow (e.g. a short probe, then a longer one).
    public func setTimeout(_ timeout: Duration) {
        if let ctx = context { redisSetTimeout(ctx, Self.timeval(timeout)) }
    }

    /// Runs one command and returns its reply. Server error replies are returned as `.error`,
    /// not thrown; connection failures throw and close the connection.
    @discardableResult
    public func command(_ args: [String]) throws -> RedisReply {
        try command(args.map { Array($0.utf8) })
    }

    /// Binary-safe variant of ``command(_:)-(String)``.
    @discardableResult
    public func command(_ args: [[UInt8]]) throws -> RedisReply {
        try append(args)
        return try readReply()
    }

    /// Sends every command before reading any reply (one round trip for the batch).
    /// Returns replies in order. If the connection fails part-way, throws; the caller can't
    /// know which commands ran.
    public func pipeline(_ commands: [[[UInt8]]]) throws -> [RedisReply] {
        for args in commands { try append(args) }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands { replies.append(try readReply()) }
        return replies
    }

    /// Like ``command(_:)-(String)`` but throws `RedisError(.server)` on an error reply.
    @discardableResult
    public func checked(_ args: [String]) throws -> RedisReply {
        let reply = try command(args)
        if let message = reply.errorMessage { throw RedisError(.server, message) }
        return reply
    }

    // MARK: - C plumbing

    /// Queues a command in hiredis' output buffer (nothing is written until a reply is read).
    public func append(_ args: [[UInt8]]) throws {
        guard let ctx = context else { throw RedisError(.connection, "connection closed") }
        let count = args.count
        var lengths = [Int](repeating: 0, count: count)
        // Keep every argument's bytes alive and contiguous while hiredis copies them.
        let status: Int32 = withArgvPointers(args) { argv in
            for i in 0..<count { lengths[i] = args[i].count }
            return lengths.withUnsafeBufferPointer { lens in
                redisAppendCommandArgv(ctx, Int32(count), argv, lens.baseAddress)
            }
        }
        if status != REDIS_OK {
            let message = Self.errorString(ctx)
            close()
            throw RedisError(.connection, message)
        }
    }

    /// Writes the queued commands without reading anything, so a caller can pipeline the next
    /// commands while the server works on these (their replies are read later, in order).
    public func flush() throws {
        guard let ctx = context else { throw RedisError(.connection, "connection closed") }
        var done: Int32 = 0
        repeat {
            if redisBufferWrite(ctx, &done) != REDIS_OK {
                let message = Self.errorString(ctx)
                close()
                throw RedisError(.connection, message.isEmpty ? "write failed" : message)
            }
        } while done == 0
    }

    /// Reads the next reply (flushing queued commands first).
    public func readReply() throws -> RedisReply {
        guard let ctx = context else { throw RedisError(.connection, "connection closed") }
        var raw: UnsafeMutableRawPointer?
        let status = redisGetReply(ctx, &raw)
        guard status == REDIS_OK, let raw else {
            let message = Self.errorString(ctx)
            close()
            throw RedisError(.connection, message.isEmpty ? "no reply" : message)
        }
        let reply = raw.assumingMemoryBound(to: redisReply.self)
        defer { freeReplyObject(raw) }
        return Self.convert(reply)
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let r = reply.pointee
        switch r.type {
        case REDIS_REPLY_STRING:
            return .string(bytes(r.str, r.len))
        case REDIS_REPLY_STATUS:
            return .status(String(decoding: bytes(r.str, r.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: bytes(r.str, r.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int(r.integer))
        case REDIS_REPLY_ARRAY:
            var items: [RedisReply] = []
            items.reserveCapacity(r.elements)
            for i in 0..<r.elements {
                if let element = r.element[i] { items.append(convert(element)) } else { items.append(.null) }
            }
            return .array(items)
        default:
            return .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    private static func errorString(_ ctx: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: ctx.pointee.errstr) { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: bytes[..<end], as: UTF8.self)
        }
    }

    private static func timeval(_ d: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = d.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}

/// Calls `body` with a C `argv` whose entries point into `args`' storage.
private func withArgvPointers<R>(_ args: [[UInt8]], _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>) -> R) -> R {
    // Flatten into one buffer so a single allocation stays alive for the call.
    var flat: [UInt8] = []
    flat.reserveCapacity(args.reduce(0) { $0 + $1.count + 1 })
    var offsets: [Int] = []
    offsets.reserveCapacity(args.count)
    for a in args {
        offsets.append(flat.count)
        flat.append(contentsOf: a)
        flat.append(0)
    }
    return flat.withUnsafeBufferPointer { buf in
        let base = UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self)
        let argv = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: max(args.count, 1))
        defer { argv.deallocate() }
        for (i, off) in offsets.enumerated() { argv[i] = base + off }
        return body(argv)
    }
}
