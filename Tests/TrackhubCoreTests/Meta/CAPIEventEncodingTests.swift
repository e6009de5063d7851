import Foundation
import Testing
@testable import TrackhubCore

@Suite("CAPIEvent JSON")
struct CAPIEventEncodingTests {
    static func purchase() -> CAPIEvent {
        CAPIEvent(
            eventName: .purchase, eventTime: 1_700_000_000, eventId: "hotmart:HP123", actionSource: .website,
            eventSourceUrl: "https://shop.example.com/checkout", optOut: false,
            userData: CAPIUserData(
                hashed: HashedUserData(em: ["aa"], ph: ["p1", "p2"]),
                fbc: "fb.1.1554763741205.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk",
                fbp: " fb.1.1596403881668.1116446470 ", clientIpAddress: "203.0.113.7",
                clientUserAgent: "Mozilla/5.0"),
            customData: CAPICustomData(
                value: 197.9, currency: "brl", orderId: "HP123", contentIds: ["prod-1", " "], contentType: "product",
                numItems: 1, extra: ["content_name": "Curso", "value": "999", "blank": " "]))
    }

    @Test("Exact bytes: sorted keys, Meta's names, empty and reserved fields left out")
    func exactBytes() throws {
        let json = MetaTestSupport.utf8(try Self.purchase().jsonData())
        let expected = #"{"action_source":"website","custom_data":{"content_ids":["prod-1"],"content_name":"Curso","content_type":"product","currency":"BRL","num_items":1,"order_id":"HP123","value":197.9},"event_id":"hotmart:HP123","event_name":"Purchase","event_source_url":"https://shop.example.com/checkout","event_time":1700000000,"opt_out":false,"user_data":{"client_ip_address":"203.0.113.7","client_user_agent":"Mozilla/5.0","em":["aa"],"fbc":"fb.1.1554763741205.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk","fbp":"fb.1.1596403881668.1116446470","ph":["p1","p2"]}}"#
        #expect(json == expected)
    }

    @Test("Encoding is deterministic")
    func deterministic() throws {
        var event = Self.purchase()
        event.customData?.extra = Dictionary(uniqueKeysWithValues: (0..<50).map { ("k\($0)", "v\($0)") })
        let first = try event.jsonData()
        for _ in 0..<20 { #expect(try event.jsonData() == first) }
    }

    @Test("A minimal event has only the required keys")
    func minimal() throws {
        let event = CAPIEvent(
            eventName: .lead, eventTime: 1_700_000_000, eventId: "  ", actionSource: .systemGenerated,
            eventSourceUrl: "", userData: CAPIUserData(hashed: HashedUserData(externalId: ["x"])),
            customData: CAPICustomData(contentIds: [], extra: ["a": ""]))
        #expect(MetaTestSupport.utf8(try event.jsonData())
            == #"{"action_source":"system_generated","event_name":"Lead","event_time":1700000000,"user_data":{"external_id":["x"]}}"#)
    }

    @Test("data_processing_options: [] is sent (explicitly not LDU), LDU with country and state")
    func dataProcessingOptions() throws {
        var event = CAPIEvent(
            eventName: "CustomThing", eventTime: 1, actionSource: .other,
            userData: CAPIUserData(clientIpAddress: "203.0.113.7"), dataProcessingOptions: .notLimited)
        var object = try MetaTestSupport.jsonObject(event.jsonData())
        #expect((object["data_processing_options"] as? [Any])?.isEmpty == true)
        #expect(object["data_processing_options_country"] == nil)
        #expect(object["event_name"] as? String == "CustomThing")

        event.dataProcessingOptions = .limitedDataUse(country: 1, state: 1000)
        object = try MetaTestSupport.jsonObject(event.jsonData())
        #expect(object["data_processing_options"] as? [String] == ["LDU"])
        #expect(object["data_processing_options_country"] as? Int == 1)
        #expect(object["data_processing_options_state"] as? Int == 1000)
    }

    @Test("eventDate initializer truncates to whole seconds")
    func eventDate() {
        let event = CAPIEvent(
            eventName: .pageView, eventDate: Date(timeIntervalSince1970: 1_700_000_000.999), actionSource: .website,
            userData: CAPIUserData())
        #expect(event.eventTime == 1_700_000_000)
    }

    @Test("A non-finite value cannot be encoded")
    func nonFiniteValue() {
        var event = Self.purchase()
        event.customData?.value = .nan
        #expect(throws: (any Error).self) { try event.jsonData() }
    }

    @Test("Action sources are Meta's strings")
    func actionSources() {
        #expect(CAPIActionSource.allCases.map(\.rawValue) == [
            "email", "website", "app", "phone_call", "chat", "physical_store", "system_generated",
            "business_messaging", "other",
        ])
    }

    @Test("isEmpty reflects what would be sent")
    func emptiness() {
        #expect(CAPIUserData().isEmpty)
        #expect(CAPIUserData(fbp: "  ").isEmpty)
        #expect(!CAPIUserData(fbp: "fb.1.1596403881668.1116446470").isEmpty)
        #expect(CAPICustomData(currency: " ", extra: ["value": "1"]).isEmpty)
        #expect(!CAPICustomData(numItems: 0).isEmpty)
    }
}
