import Foundation
import Testing
@testable import TrackhubCore

/// The pure decisions behind ingestd's load shedding: the spool cap, Redis' `INFO memory`
/// reading and the memory watermark, and the readiness rule built on them.
@Suite("Backpressure decisions")
struct BackpressureDecisionTests {
    @Test("the spool cap admits up to the cap exactly, and is nearly full from 90%")
    func spoolCap() {
        let cap = SpoolCap(maxBytes: 1000)
        #expect(cap.admits(size: 0, incoming: 1000))
        #expect(cap.admits(size: 400, incoming: 600))
        #expect(!cap.admits(size: 400, incoming: 601))
        #expect(!cap.isNearlyFull(size: 899))
        #expect(cap.isNearlyFull(size: 900))
        #expect(cap.isNearlyFull(size: 1000))
    }

    @Test("a record's size in the spool is what Spool.append writes")
    func recordSize() throws {
        let dir = NSTemporaryDirectory() + "spool-size-" + UUID().uuidString
        let spool = try Spool(directory: dir)
        let payload = Array(repeating: UInt8(ascii: "x"), count: 321)
        try spool.append([.init(stream: "th:ingest:normal", payload: payload)])
        #expect(spool.size == Spool.recordSize(stream: "th:ingest:normal", payload: payload))
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test("INFO memory is read for used_memory and maxmemory, CRLF or LF, other lines ignored")
    func parseInfo() {
        let info = "# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\nmaxmemory:2097152\r\nmaxmemory_policy:noeviction\r\n"
        #expect(RedisMemoryUsage(info: info) == RedisMemoryUsage(used: 1_048_576, max: 2_097_152))
        #expect(RedisMemoryUsage(info: "used_memory:10\nmaxmemory:0\n") == RedisMemoryUsage(used: 10, max: 0))
        #expect(RedisMemoryUsage(info: "maxmemory:5\n") == nil)
        #expect(RedisMemoryUsage(info: "") == nil)
    }

    @Test("the watermark sheds at or above its share of maxmemory, never without maxmemory or when off")
    func watermark() {
        let w = RedisMemoryWatermark(percent: 90)
        #expect(!w.isAbove(RedisMemoryUsage(used: 899, max: 1000)))
        #expect(w.isAbove(RedisMemoryUsage(used: 900, max: 1000)))
        #expect(w.isAbove(RedisMemoryUsage(used: 5000, max: 1000)))
        #expect(!w.isAbove(RedisMemoryUsage(used: 5000, max: 0)), "no maxmemory: nothing to compare with")
        #expect(!w.isAbove(nil))
        #expect(!RedisMemoryWatermark(percent: 0).isAbove(RedisMemoryUsage(used: 5000, max: 1000)), "0 = off")
    }

    @Test("readiness: Redis below the watermark, or a spool with room")
    func readiness() {
        #expect(EnvelopeSinkStatus(redisConnected: true, spoolPending: 0, spoolUsable: true).canAccept)
        #expect(EnvelopeSinkStatus(redisConnected: false, spoolPending: 5, spoolUsable: true).canAccept)
        #expect(!EnvelopeSinkStatus(redisConnected: false, spoolPending: 5, spoolUsable: true, spoolFull: true).canAccept)
        #expect(EnvelopeSinkStatus(redisConnected: true, spoolPending: 5, spoolUsable: true, spoolFull: true).canAccept,
                "a full spool does not matter while Redis takes appends")
        #expect(!EnvelopeSinkStatus(redisConnected: true, spoolPending: 0, spoolUsable: true, redisMemoryHigh: true).canAccept)
        #expect(!EnvelopeSinkStatus(redisConnected: false, spoolPending: 0, spoolUsable: false).canAccept)
    }
}
