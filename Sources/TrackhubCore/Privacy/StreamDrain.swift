import Foundation

/// Waits until the consumer group has processed every entry that was in the ingest streams when
/// a privacy erasure started, so that the person's events accepted before the request — still
/// in a stream, sealed, or pending at a worker — are stored first and then erased with the rest.
///
/// The decision is pure (``isProcessed(top:lastDelivered:oldestPending:)``); ``wait(for:timeout:connection:)``
/// polls Redis. Entries accepted after the request are a new collection and not part of it.
public struct StreamDrain: Sendable {
    public let layout: StreamLayout

    public init(layout: StreamLayout) { self.layout = layout }

    /// Why waiting ended without the streams being processed.
    public struct NotDrained: Error, CustomStringConvertible, Sendable {
        public let stream: String
        public var description: String {
            "entries of \(stream) accepted before the request are not processed yet (is dispatchd running?); nothing was erased — run the command again"
        }
    }

    /// True when every entry up to `top` was delivered to the group and acknowledged.
    public static func isProcessed(top: String, lastDelivered: String?, oldestPending: String?) -> Bool {
        if top == "0-0" { return true }
        guard let lastDelivered, !Self.less(lastDelivered, top) else { return false }
        guard let oldestPending else { return true }
        return Self.less(top, oldestPending)
    }

    /// `a` comes strictly before `b` (stream ids `ms-seq`).
    static func less(_ a: String, _ b: String) -> Bool {
        a != b && StreamTrimmer.min(a, b) == a
    }

    /// The newest entry id of each stream now ("0-0" for an empty or missing stream).
    public func tops(connection redis: RedisConnection) throws -> [String: String] {
        var out: [String: String] = [:]
        for stream in layout.allStreams {
            let reply = try redis.command(["XREVRANGE", stream, "+", "-", "COUNT", "1"])
            if let m = reply.errorMessage { throw RedisError(.server, m) }
            out[stream] = reply.elements.first?.elements.first?.text ?? "0-0"
        }
        return out
    }

    /// Polls until every stream is processed up to `tops`, or throws ``NotDrained`` after `timeout`.
    public func wait(for tops: [String: String], timeout: Duration, connection redis: RedisConnection) throws {
        let deadline = ContinuousClock.now + timeout
        for stream in layout.allStreams {
            let top = tops[stream] ?? "0-0"
            while true {
                let progress = try GroupProgress.read(stream: stream, layout: layout, connection: redis)
                if Self.isProcessed(top: top, lastDelivered: progress.lastDelivered, oldestPending: progress.oldestPending) { break }
                guard ContinuousClock.now < deadline else { throw NotDrained(stream: stream) }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }
}
