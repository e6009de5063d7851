import Foundation
import Testing
import TrackhubCore

/// What Redis counts as a delivery, which ``DeliveryCap`` relies on: the read of a process start
/// counts one; re-reading a batch that failed inside a running worker and renewing the claim of
/// a batch in flight do not (else a Postgres outage or a slow Meta would cap healthy entries).
@Suite("stream consumer: delivery counts (real Redis)",
       .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis)"))
struct StreamConsumerDeliveryTests {
    @Test("readPending counts a delivery; rereadPending and keepClaimed do not; a deleted entry comes back without payload")
    func counts() throws {
        let layout = StreamLayout(prefix: TestEnvironment.uniquePrefix("sc"))
        let conn = try RedisConnection(endpoint: TestEnvironment.redisEndpoint)
        defer { _ = try? conn.command(["DEL"] + layout.allStreams) }
        let consumer = StreamConsumer(layout: layout, consumer: "w1")
        try consumer.ensureGroups(conn)
        let stream = layout.stream(.normal)
        let ids = try (0..<3).map { n in try #require(try conn.command(["XADD", stream, "*", "e", "{\"n\":\(n)}"]).text) }
        let read = try consumer.readNew(count: 10, block: .milliseconds(10), connection: conn)
        #expect(read.map(\.id) == ids)
        func counts() throws -> [Int] {
            let byID = try consumer.deliveryCounts(stream: stream, first: ids[0], last: ids[2], count: 10, connection: conn)
            return ids.map { byID[$0] ?? 0 }
        }
        #expect(try counts() == [1, 1, 1])

        // A batch that failed in this process is read again whole, payloads included, uncounted.
        #expect(try consumer.rereadPending(stream: stream, after: "0", count: 10, connection: conn) == read)
        #expect(try consumer.rereadPending(stream: stream, after: ids[0], count: 10, connection: conn).map(\.id) == Array(ids[1...]))
        try consumer.keepClaimed(read, connection: conn)
        #expect(try counts() == [1, 1, 1])

        // A new process reading its own pending entries: one more delivery each.
        #expect(try consumer.readPending(stream: stream, after: "0", count: 10, connection: conn).map(\.id) == ids)
        #expect(try counts() == [2, 2, 2])

        // An entry deleted while pending is still reported, without its payload.
        _ = try conn.command(["XDEL", stream, ids[1]])
        let after = try consumer.rereadPending(stream: stream, after: "0", count: 10, connection: conn)
        #expect(after.map(\.id) == ids && after.map { $0.payload == nil } == [false, true, false])
    }
}
