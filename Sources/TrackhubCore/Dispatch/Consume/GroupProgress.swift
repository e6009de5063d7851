/// How far the consumer group got in one stream: the last id delivered to any worker and the
/// oldest entry delivered but not acknowledged. Read by ``StreamTrimmer`` (never cut what is
/// not finished) and ``StreamDrain`` (wait until what was accepted is finished).
public struct GroupProgress: Sendable, Equatable {
    /// nil when the group does not exist on the stream yet.
    public var lastDelivered: String?
    /// nil when nothing is pending.
    public var oldestPending: String?

    public init(lastDelivered: String?, oldestPending: String?) {
        self.lastDelivered = lastDelivered
        self.oldestPending = oldestPending
    }

    /// `XINFO GROUPS` + `XPENDING` summary of the group on `stream`.
    public static func read(stream: String, layout: StreamLayout, connection: RedisConnection) throws -> GroupProgress {
        var lastDelivered: String?
        for g in try connection.command(["XINFO", "GROUPS", stream]).elements {
            let f = g.elements
            var i = 0
            var name: String?
            var last: String?
            while i + 1 < f.count {
                if f[i].text == "name" { name = f[i + 1].text }
                if f[i].text == "last-delivered-id" { last = f[i + 1].text }
                i += 2
            }
            if name == layout.consumerGroup { lastDelivered = last }
        }
        guard lastDelivered != nil else { return GroupProgress(lastDelivered: nil, oldestPending: nil) }
        var oldest: String?
        let pending = try connection.command(["XPENDING", stream, layout.consumerGroup]).elements
        if pending.count >= 2, let count = pending[0].int, count > 0 { oldest = pending[1].text }
        return GroupProgress(lastDelivered: lastDelivered, oldestPending: oldest)
    }
}
