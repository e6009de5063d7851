import Foundation
import Testing
@testable import TrackhubCore

@Suite("CAPIRequestBody")
struct CAPIRequestBodyTests {
    static func blob(_ n: Int) -> Data { Data(#"{"event_name":"Lead","event_time":\#(n)}"#.utf8) }

    @Test("Joins the blobs byte-for-byte, optional keys in sorted order")
    func joins() throws {
        let body = try CAPIRequestBody(events: [Self.blob(1), Self.blob(2)], testEventCode: "TEST123", partnerAgent: "trackhub-1.0")
        #expect(MetaTestSupport.utf8(body.jsonData())
            == #"{"data":[{"event_name":"Lead","event_time":1},{"event_name":"Lead","event_time":2}],"partner_agent":"trackhub-1.0","test_event_code":"TEST123"}"#)
        let plain = try CAPIRequestBody(events: [Self.blob(1)], testEventCode: " ", partnerAgent: nil)
        #expect(MetaTestSupport.utf8(plain.jsonData()) == #"{"data":[{"event_name":"Lead","event_time":1}]}"#)
    }

    @Test("The token goes in the body as its first member, escaped; the rest byte-for-byte")
    func accessTokenInBody() throws {
        let body = try CAPIRequestBody(events: [Self.blob(1)], testEventCode: "T1").jsonData()
        let wire = CAPIRequestBody.withAccessToken(Array(body), "EAAB\"x\\y")
        #expect(String(decoding: wire, as: UTF8.self)
            == #"{"access_token":"EAAB\"x\\y","data":[{"event_name":"Lead","event_time":1}],"test_event_code":"T1"}"#)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(wire)) as? [String: Any])
        #expect(parsed["access_token"] as? String == "EAAB\"x\\y")
        #expect((parsed["data"] as? [Any])?.count == 1)
        // The body kept for retries and splits never holds the token.
        #expect(!String(decoding: body, as: UTF8.self).contains("access_token"))
    }

    @Test("Real encoded events survive the round trip and parse as Meta's body shape")
    func realEvents() throws {
        let events = try (1...3).map { n in
            try CAPIEvent(
                eventName: .purchase, eventTime: 1_700_000_000 + n, eventId: "order-\(n)", actionSource: .systemGenerated,
                userData: CAPIUserData(hashed: HashedUserData(em: [MetaHash.sha256Hex("a\(n)@b.com")])),
                customData: CAPICustomData(value: 10, currency: "BRL")
            ).jsonData()
        }
        let body = try CAPIRequestBody(events: events, testEventCode: "a\"b\\c\nd")
        let object = try MetaTestSupport.jsonObject(body.jsonData())
        let data = try #require(object["data"] as? [[String: Any]])
        #expect(data.map { $0["event_id"] as? String } == ["order-1", "order-2", "order-3"])
        #expect(object["test_event_code"] as? String == "a\"b\\c\nd")
        // Splitting and re-joining reuses the same bytes: no re-encoding.
        let halves = try [CAPIRequestBody(events: Array(events[..<2])), CAPIRequestBody(events: Array(events[2...]))]
        #expect(halves.flatMap(\.events) == events)
    }

    @Test("String escaping produces valid JSON for control characters and unicode")
    func escaping() throws {
        let tricky = "tab\there \u{01} \"quoted\" back\\slash ünïcødé 🚀"
        let body = try CAPIRequestBody(events: [Self.blob(1)], partnerAgent: tricky)
        let object = try MetaTestSupport.jsonObject(body.jsonData())
        #expect(object["partner_agent"] as? String == tricky)
    }

    @Test("Rejects empty, oversized and non-object input")
    func rejects() {
        #expect(throws: CAPIRequestBody.BuildError.noEvents) { try CAPIRequestBody(events: []) }
        let tooMany = Array(repeating: Self.blob(1), count: 1001)
        #expect(throws: CAPIRequestBody.BuildError.tooManyEvents(count: 1001)) { try CAPIRequestBody(events: tooMany) }
        #expect(throws: CAPIRequestBody.BuildError.notAJSONObject(index: 1)) {
            try CAPIRequestBody(events: [Self.blob(1), Data("[1]".utf8)])
        }
        #expect(throws: CAPIRequestBody.BuildError.notAJSONObject(index: 0)) { try CAPIRequestBody(events: [Data()]) }
        #expect(throws: Never.self) { try CAPIRequestBody(events: Array(repeating: Self.blob(1), count: 1000)) }
    }

    @Test("batches() chunks by 1,000 in order")
    func batches() throws {
        let events = (0..<2_500).map(Self.blob)
        let bodies = try CAPIRequestBody.batches(events, testEventCode: "T")
        #expect(bodies.map(\.events.count) == [1_000, 1_000, 500])
        #expect(bodies.flatMap(\.events) == events)
        #expect(bodies.allSatisfy { $0.testEventCode == "T" })
        #expect(try CAPIRequestBody.batches([]).isEmpty)
        #expect(CAPIRequestBody.maxEventsPerRequest == 1_000)
    }
}
