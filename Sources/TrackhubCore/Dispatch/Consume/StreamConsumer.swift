/// One entry read from an ingest stream.
public struct StreamEntry: Sendable, Equatable {
    public let stream: String
    public let id: String
    /// The envelope bytes; nil when the entry was trimmed/deleted while pending.
    public let payload: [UInt8]?

    public init(stream: String, id: String, payload: [UInt8]?) {
        self.stream = stream
        self.id = id
        self.payload = payload
    }
}

/// Consumer-group operations on the ingest streams (blocking; run on a dedicated thread).
///
/// At-least-once: entries stay in the group's pending list until ``ack(_:connection:)`` after
/// their outcome is durable. A restarted consumer with the same name re-reads its own pending
/// entries first (`readPending`); entries of a consumer that died are taken over by
/// ``autoclaim(stream:minIdle:cursor:count:connection:)``.
public struct StreamConsumer: Sendable {
    public let layout: StreamLayout
    public let consumer: String

    public init(layout: StreamLayout, consumer: String) {
        self.layout = layout
        self.consumer = consumer
    }

    /// Creates the group on every stream (and the streams), from the beginning; idempotent.
    public func ensureGroups(_ connection: RedisConnection) throws {
        for stream in layout.allStreams {
            let reply = try connection.command(["XGROUP", "CREATE", stream, layout.consumerGroup, "0", "MKSTREAM"])
            if let message = reply.errorMessage, !message.hasPrefix("BUSYGROUP") {
                throw RedisError(.server, message)
            }
        }
    }

    /// New entries (`>`) from all streams, highest priority first; blocks up to `block`.
    public func readNew(count: Int, block: Duration, connection: RedisConnection) throws -> [StreamEntry] {
        let streams = layout.allStreams
        let ms = Int(block.wholeMilliseconds)
        let reply = try connection.command(
            ["XREADGROUP", "GROUP", layout.consumerGroup, consumer, "COUNT", String(count), "BLOCK", String(ms), "STREAMS"]
                + streams + Array(repeating: ">", count: streams.count))
        return try Self.parseRead(reply, priorityOrder: streams)
    }

    /// This consumer's own pending entries on `stream` with ids greater than `after`
    /// (start with "0"); used at start-up to finish what a previous run left unacknowledged.
    public func readPending(stream: String, after: String, count: Int, connection: RedisConnection) throws -> [StreamEntry] {
        let reply = try connection.command(
            ["XREADGROUP", "GROUP", layout.consumerGroup, consumer, "COUNT", String(count), "STREAMS", stream, after])
        return try Self.parseRead(reply, priorityOrder: [stream])
    }

    /// Claims entries idle longer than `minIdle` from any consumer (a dead one, typically).
    /// Returns the next cursor ("0-0" when the scan is complete) and the claimed entries;
    /// ids deleted from the stream come back with a nil payload so they can be acknowledged.
    public func autoclaim(stream: String, minIdle: Duration, cursor: String, count: Int,
                          connection: RedisConnection) throws -> (cursor: String, entries: [StreamEntry]) {
        let ms = minIdle.wholeMilliseconds
        let reply = try connection.command(
            ["XAUTOCLAIM", stream, layout.consumerGroup, consumer, String(ms), cursor, "COUNT", String(count)])
        if let message = reply.errorMessage { throw RedisError(.server, message) }
        let parts = reply.elements
        guard parts.count >= 2, let next = parts[0].text else { throw RedisError(.protocolViolation, "XAUTOCLAIM reply") }
        var entries = try Self.parseEntries(parts[1], stream: stream)
        if parts.count >= 3 {
            for deleted in parts[2].elements { if let id = deleted.text { entries.append(StreamEntry(stream: stream, id: id, payload: nil)) } }
        }
        return (next, entries)
    }

    /// How many times each of this consumer's pending entries on `stream` between `first` and
    /// `last` (ids, inclusive) was delivered (`XPENDING`): the count ``DeliveryCap`` reads.
    public func deliveryCounts(stream: String, first: String, last: String, count: Int,
                               connection: RedisConnection) throws -> [String: Int] {
        let reply = try connection.command(["XPENDING", stream, layout.consumerGroup, first, last, String(count), consumer])
        if let message = reply.errorMessage { throw RedisError(.server, message) }
        var counts: [String: Int] = [:]
        for row in reply.elements {
            let parts = row.elements
            guard parts.count >= 4, let id = parts[0].text, let n = parts[3].int else { throw RedisError(.protocolViolation, "XPENDING reply") }
            counts[id] = n
        }
        return counts
    }

    /// This consumer's own pending entries on `stream` after `after`, read without counting a
    /// delivery (`XPENDING` for the ids, `XRANGE` for the payloads): how a running worker takes
    /// up again a batch that failed (Postgres down), which must not move an entry towards the
    /// ``DeliveryCap``. Entries deleted while pending come back with a nil payload.
    public func rereadPending(stream: String, after: String, count: Int, connection: RedisConnection) throws -> [StreamEntry] {
        let start = after == "0" ? "-" : "(" + after
        let pending = try connection.command(["XPENDING", stream, layout.consumerGroup, start, "+", String(count), consumer])
        if let message = pending.errorMessage { throw RedisError(.server, message) }
        let ids = pending.elements.compactMap { $0.elements.first?.text }
        guard let first = ids.first, let last = ids.last else { return [] }
        let range = try connection.command(["XRANGE", stream, first, last])
        if let message = range.errorMessage { throw RedisError(.server, message) }
        let byID = Dictionary(try Self.parseEntries(range, stream: stream).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return ids.map { byID[$0] ?? StreamEntry(stream: stream, id: $0, payload: nil) }
    }

    /// Resets the idle time of entries this consumer holds without counting a delivery
    /// (`XCLAIM … 0 … JUSTID`), so ``autoclaim(stream:minIdle:cursor:count:connection:)`` in
    /// another worker does not take a batch that is still in flight here.
    public func keepClaimed(_ entries: [StreamEntry], connection: RedisConnection) throws {
        var byStream: [String: [String]] = [:]
        for e in entries { byStream[e.stream, default: []].append(e.id) }
        guard !byStream.isEmpty else { return }
        let commands = byStream.map { stream, ids in
            (["XCLAIM", stream, layout.consumerGroup, consumer, "0"] + ids + ["JUSTID"]).map { Array($0.utf8) }
        }
        let replies = try connection.pipeline(commands)
        if let message = replies.compactMap(\.errorMessage).first { throw RedisError(.server, message) }
    }

    /// Acknowledges entries (grouped per stream in one pipeline).
    public func ack(_ entries: [StreamEntry], connection: RedisConnection) throws {
        var byStream: [String: [String]] = [:]
        for e in entries { byStream[e.stream, default: []].append(e.id) }
        guard !byStream.isEmpty else { return }
        let commands = byStream.map { stream, ids in
            ([["XACK", stream, layout.consumerGroup]] + [ids]).flatMap { $0 }.map { Array($0.utf8) }
        }
        let replies = try connection.pipeline(commands)
        if let message = replies.compactMap(\.errorMessage).first { throw RedisError(.server, message) }
    }

    // MARK: - Reply parsing

    public static func parseRead(_ reply: RedisReply, priorityOrder: [String]) throws -> [StreamEntry] {
        if reply.isNull { return [] }
        if let message = reply.errorMessage { throw RedisError(.server, message) }
        var perStream: [String: [StreamEntry]] = [:]
        for streamReply in reply.elements {
            let pair = streamReply.elements
            guard pair.count == 2, let name = pair[0].text else { throw RedisError(.protocolViolation, "XREADGROUP reply") }
            perStream[name] = try parseEntries(pair[1], stream: name)
        }
        return priorityOrder.flatMap { perStream[$0] ?? [] }
    }

    public static func parseEntries(_ reply: RedisReply, stream: String) throws -> [StreamEntry] {
        try reply.elements.map { entry in
            let parts = entry.elements
            guard let id = parts.first?.text else { throw RedisError(.protocolViolation, "stream entry") }
            var payload: [UInt8]?
            if parts.count > 1 {
                let fields = parts[1].elements
                var i = 0
                while i + 1 < fields.count {
                    if fields[i].text == "e", case .string(let bytes) = fields[i + 1] { payload = bytes }
                    i += 2
                }
            }
            return StreamEntry(stream: stream, id: id, payload: payload)
        }
    }
}
