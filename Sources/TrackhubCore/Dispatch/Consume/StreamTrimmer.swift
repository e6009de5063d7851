public import Foundation

/// Trims the ingest streams so they don't grow forever, without ever dropping an entry the group
/// has not finished: the cut point is the oldest of (the oldest pending entry, the group's
/// last-delivered id), and never newer than the retention window (entries younger than
/// `retention` are kept for inspection and replay).
///
/// ingestd never trims (an XADD MAXLEN could drop unprocessed entries under a backlog).
public struct StreamTrimmer: Sendable {
    public let layout: StreamLayout
    public let retention: Duration

    public init(layout: StreamLayout, retention: Duration = .seconds(24 * 3600)) {
        self.layout = layout
        self.retention = retention
    }

    /// Trims every stream; returns entries removed per stream.
    @discardableResult
    public func trim(now: Date = Date(), connection: RedisConnection) throws -> [String: Int] {
        var removed: [String: Int] = [:]
        for stream in layout.allStreams {
            guard let cut = try safeCutPoint(stream: stream, now: now, connection: connection) else { continue }
            let reply = try connection.command(["XTRIM", stream, "MINID", "~", cut])
            if let m = reply.errorMessage { throw RedisError(.server, m) }
            removed[stream] = reply.int ?? 0
        }
        return removed
    }

    /// The id below which every entry is acknowledged and older than the retention window.
    func safeCutPoint(stream: String, now: Date, connection: RedisConnection) throws -> String? {
        let progress = try GroupProgress.read(stream: stream, layout: layout, connection: connection)
        guard let lastDelivered = progress.lastDelivered, lastDelivered != "0-0" else { return nil }
        var cut = lastDelivered
        if let oldest = progress.oldestPending { cut = Self.min(cut, oldest) }
        let retentionMs = Int64(now.timeIntervalSince1970 * 1000) - retention.components.seconds * 1000
        cut = Self.min(cut, "\(max(0, retentionMs))-0")
        return cut
    }

    /// The smaller of two stream ids (`ms-seq`).
    static func min(_ a: String, _ b: String) -> String {
        func parts(_ s: String) -> (Int64, Int64) {
            let p = s.split(separator: "-")
            return (Int64(p.first ?? "0") ?? 0, p.count > 1 ? Int64(p[1]) ?? 0 : 0)
        }
        let (am, asq) = parts(a), (bm, bsq) = parts(b)
        return (am, asq) <= (bm, bsq) ? a : b
    }
}
