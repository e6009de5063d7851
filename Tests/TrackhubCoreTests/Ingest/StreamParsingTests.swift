import Testing
@testable import TrackhubCore

@Suite("Stream replies and envelopes")
struct StreamParsingTests {
    @Test("XREADGROUP replies are returned highest priority first; deleted entries have nil payloads")
    func parse() throws {
        let layout = StreamLayout(prefix: "th")
        let reply = RedisReply.array([
            .array([.string(Array("th:ingest:low".utf8)), .array([
                .array([.string(Array("1-0".utf8)), .array([.string(Array("e".utf8)), .string(Array("low".utf8))])]),
            ])]),
            .array([.string(Array("th:ingest:high".utf8)), .array([
                .array([.string(Array("2-0".utf8)), .array([.string(Array("e".utf8)), .string(Array("high".utf8))])]),
                .array([.string(Array("3-0".utf8)), .null]),
            ])]),
        ])
        let entries = try StreamConsumer.parseRead(reply, priorityOrder: layout.allStreams)
        #expect(entries.map(\.id) == ["2-0", "3-0", "1-0"])
        #expect(entries[1].payload == nil)
        #expect(try StreamConsumer.parseRead(.null, priorityOrder: layout.allStreams).isEmpty)
    }

    @Test("envelopes round-trip and refuse a newer version")
    func envelope() throws {
        let e = Envelope(id: "01abc", kind: .track, receivedAt: 1_700_000_000_000, tenant: "acme",
                         track: .init(event: "lead", clickId: "c1", consent: false, value: 9.9, currency: "BRL"))
        let decoded = try Envelope.decode(try e.encoded())
        #expect(decoded == e)
        var newer = e
        newer.v = 99
        #expect(throws: (any Error).self) { try Envelope.decode(try newer.encoded()) }
    }
}

@Suite("StreamTrimmer")
struct StreamTrimmerTests {
    @Test("stream ids compare by milliseconds, then sequence")
    func minimum() {
        #expect(StreamTrimmer.min("5-1", "5-0") == "5-0")
        #expect(StreamTrimmer.min("10-0", "9-99") == "9-99")
        #expect(StreamTrimmer.min("1700000000000-3", "1700000000000-3") == "1700000000000-3")
    }
}
