import Foundation
import Testing
@testable import TrackhubCore

@Suite("OutboundEvent in Redis and dead letters: typed now, the old shape still decodes")
struct OutboundEventCodingTests {
    static let eventJSON = #"{"action_source":"website","custom_data":{"content_name":"Curso","currency":"BRL","order_id":"HP1","value":297.9},"event_id":"hotmart.HP1","event_name":"Purchase","event_source_url":"https://lp.example.com/","event_time":1790000000,"user_data":{"client_ip_address":"177.20.30.40","client_user_agent":"UA/1","em":["aaaa"],"external_id":["bbbb"],"fbc":"fb.1.1789999999000.abc"}}"#

    /// What the retry schedule, the parked sets and `dead_letters.payload` held before.
    static let oldShape = #"{"attempts":2,"conversionID":7,"envelopeID":"env-1","eventID":"hotmart.HP1","eventJSON":\#(String(decoding: try! JSONEncoder().encode(eventJSON), as: UTF8.self)),"eventName":"Purchase","eventTime":1790000000,"hold":{"clickIDs":["01JD"],"deadlineMs":5,"sinceMs":1,"tenant":"t1"},"pixel":"p1"}"#

    @Test("an event stored in the old shape (JSON text) decodes to the typed event and re-serialises to the same bytes")
    func oldShape() throws {
        let e = try JSONDecoder().decode(OutboundEvent.self, from: Data(Self.oldShape.utf8))
        #expect(e.pixel == "p1" && e.eventID == "hotmart.HP1" && e.attempts == 2 && e.conversionID == 7 && e.hold?.clickIDs == ["01JD"])
        #expect(e.event.actionSource == .website && e.event.userData.hashed.em == ["aaaa"] && e.event.customData?.extra == ["content_name": "Curso"])
        #expect(String(decoding: try e.eventJSON(), as: UTF8.self) == Self.eventJSON)
    }

    @Test("the new shape round-trips, and the event's bytes are unchanged by the trip")
    func roundTrip() throws {
        let old = try JSONDecoder().decode(OutboundEvent.self, from: Data(Self.oldShape.utf8))
        let stored = try JSONEncoder().encode(old)
        #expect(!String(decoding: stored, as: UTF8.self).contains("eventJSON"))
        let back = try JSONDecoder().decode(OutboundEvent.self, from: stored)
        let (a, b) = (try back.eventJSON(), try old.eventJSON())
        #expect(back == old && a == b)
    }

    @Test("a dead letter's payload is the event in the new shape, replayable by the DLQ admin")
    func deadLetterPayload() throws {
        var r = SendResult()
        let e = DispatchTestValues.event("x", attempts: 1)
        r.deadLetter(e, reason: .invalid, detail: "bad", attempt: 2)
        let payload = try #require(r.deadLetters.first?.payload)
        let back = try JSONDecoder().decode(OutboundEvent.self, from: Data(payload.utf8))
        #expect(back.event == e.event && back.attempts == 2)
    }
}
