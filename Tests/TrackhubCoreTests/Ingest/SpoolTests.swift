import Foundation
import Testing
@testable import TrackhubCore

@Suite("Spool")
struct SpoolTests {
    func tempDir() -> String {
        let d = NSTemporaryDirectory() + "spool-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test("records come back in order and survive a reopen")
    func appendPeekReopen() throws {
        let dir = tempDir()
        do {
            let spool = try Spool(directory: dir)
            try spool.append([.init(stream: "a", payload: Array("one".utf8)), .init(stream: "b", payload: Array("two".utf8))])
            try spool.append([.init(stream: "a", payload: Array("three".utf8))])
            #expect(spool.pendingCount == 3)
        }
        let reopened = try Spool(directory: dir)
        #expect(reopened.pendingCount == 3)
        let (records, _) = try reopened.peek(limit: 10)
        #expect(records.map { String(decoding: $0.payload, as: UTF8.self) } == ["one", "two", "three"])
        #expect(records.map(\.stream) == ["a", "b", "a"])
    }

    @Test("draining advances the offset and compacts when empty")
    func drain() throws {
        let dir = tempDir()
        let spool = try Spool(directory: dir)
        try spool.append((0..<5).map { .init(stream: "s", payload: Array("p\($0)".utf8)) })
        let (first, end) = try spool.peek(limit: 2)
        #expect(first.count == 2)
        try spool.markDrained(upTo: end, count: 2)
        let reopened = try Spool(directory: dir)
        let (rest, end2) = try reopened.peek(limit: 10)
        #expect(rest.map { String(decoding: $0.payload, as: UTF8.self) } == ["p2", "p3", "p4"])
        try reopened.markDrained(upTo: end2, count: 3)
        #expect(reopened.isEmpty)
        let size = try FileManager.default.attributesOfItem(atPath: dir + "/spool.log")[.size] as? Int
        #expect(size == 0)
    }

    @Test("a torn tail (crash mid-write) is cut; earlier records survive")
    func tornTail() throws {
        let dir = tempDir()
        do {
            let spool = try Spool(directory: dir)
            try spool.append([.init(stream: "s", payload: Array("kept".utf8))])
        }
        // Simulate a partial record: a header promising 100 bytes followed by 3 bytes.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/spool.log"))
        handle.seekToEndOfFile()
        handle.write(Data([0, 0, 0, 100, 1, 2, 3, 4, 9, 9, 9]))
        try handle.close()
        let spool = try Spool(directory: dir)
        #expect(spool.pendingCount == 1)
        let (records, _) = try spool.peek(limit: 10)
        #expect(records.map { String(decoding: $0.payload, as: UTF8.self) } == ["kept"])
        // New appends land after the surviving record.
        try spool.append([.init(stream: "s", payload: Array("next".utf8))])
        #expect(try spool.peek(limit: 10).records.count == 2)
    }

    @Test("a corrupted record (bad CRC) ends the readable log")
    func corrupted() throws {
        let dir = tempDir()
        do {
            let spool = try Spool(directory: dir)
            try spool.append([.init(stream: "s", payload: Array("good".utf8)), .init(stream: "s", payload: Array("bad!".utf8))])
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/spool.log"))
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: dir + "/spool.log"))
        let spool = try Spool(directory: dir)
        #expect(spool.pendingCount == 1)
    }
}
