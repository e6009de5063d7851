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

@Suite("Envelope JSON")
struct EnvelopeJSONTests {
    @Test("every field of every kind survives encode → decode, including characters that need escaping")
    func roundTrip() throws {
        let odd = "a\"b\\c\nd\te\u{01}é😀/"
        let click = Envelope(id: "01c", kind: .click, receivedAt: 1_795_000_000_123, tenant: "t-1",
                             click: .init(slug: "s", pixel: "123", clickId: "01c", ip: "::1", userAgent: odd, referrer: "https://r/?a=1&b=2",
                                          utm: ["utm_source": odd, "utm_term": "x"], fbclid: "IwAR-x", gclid: nil, ttclid: "tt",
                                          fbc: "fb.1.1.IwAR-x", fbp: nil, destination: "https://d/?sck=01c#f"))
        let track = Envelope(id: "01t", kind: .track, receivedAt: 1, tenant: "t",
                             track: .init(event: "custom", customName: "Quiz", clickId: "c", sessionId: odd, eventId: "e",
                                          pageUrl: "https://p", referrer: nil, fbp: "fb.1.2.3", fbc: nil, ip: "1.2.3.4",
                                          userAgent: "UA", consent: false, value: 97.5, currency: "BRL", contentIds: ["a", odd],
                                          user: Sealed(text: "v1.k1.abc")))
        let hook = Envelope(id: "01w", kind: .webhook, receivedAt: 2, tenant: "t",
                            webhook: .init(gateway: "mercadopago", account: "main", contentType: "application/json",
                                           query: [["data.id", "123"], ["type", odd]], headers: ["x-request-id": "r1"],
                                           body: Sealed(text: "v1.k1.xyz")))
        for e in [click, track, hook] {
            #expect(try Envelope.decode(try e.encoded()) == e)
        }
        let bare = Envelope(id: "01b", kind: .track, receivedAt: 3, tenant: "t", track: .init(event: "pageview"))
        #expect(try Envelope.decode(try bare.encoded()) == bare)
    }

    @Test("every ASCII byte, DEL and runs around escapes are written as before and read back")
    func everyByte() throws {
        let ascii = String(decoding: Array(0...0x7F) as [UInt8], as: UTF8.self)
        for value in [ascii, "plain", "", "\u{7F}", "ab\ncd\"", "\u{08}\u{0C}é😀"] {
            let e = Envelope(id: "01x", kind: .track, receivedAt: 1, tenant: "t", track: .init(event: "custom", customName: value))
            let bytes = try e.encoded()
            // Read back as dispatchd reads it: storable, so U+0000 comes back as U+FFFD.
            var stored = e
            stored.track?.customName = StorableText.storable(value)
            #expect(try Envelope.decode(bytes) == stored)
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.utf8.contains(0x7F) && !text.utf8.contains { $0 < 0x20 })
        }
        let text = String(decoding: try Envelope(id: "01y", kind: .track, receivedAt: 1, tenant: "t",
                                                 track: .init(event: "custom", customName: "\u{7F}\u{08}\t\"\\")).encoded(), as: UTF8.self)
        #expect(text.contains(#""custom_name":"\u007f\u0008\t\"\\""#), "\(text)")
    }
}
