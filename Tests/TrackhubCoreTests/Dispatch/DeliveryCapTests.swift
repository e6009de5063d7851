import Testing
@testable import TrackhubCore

@Suite("delivery cap")
struct DeliveryCapTests {
    static func entry(_ id: String) -> StreamEntry { StreamEntry(stream: "th:ingest:high", id: id, payload: Array("{\"v\":1}".utf8)) }

    @Test("entries delivered more than the cap are split off; unknown counts are processed")
    func split() {
        let cap = DeliveryCap(maxDeliveries: 10)
        let entries = ["1-0", "2-0", "3-0", "4-0"].map(Self.entry)
        let (process, capped) = cap.split(entries, deliveries: ["1-0": 10, "2-0": 11, "3-0": 1])
        #expect(process.map(\.id) == ["1-0", "3-0", "4-0"])
        #expect(capped.map(\.0.id) == ["2-0"] && capped.map(\.1) == [11])
        #expect(DeliveryCap(maxDeliveries: 0).maxDeliveries == 1)
    }

    @Test("a capped entry becomes a delivery_cap dead letter with its stream entry and payload, for replay")
    func deadLetter() throws {
        let r = DeliveryCap(maxDeliveries: 3).deadLetters([(Self.entry("7-1"), 4)])
        let d = try #require(r.deadLetters.first)
        #expect(d.reason == .deliveryCap && d.reason.rawValue == "delivery_cap")
        #expect(d.streamEntry == "th:ingest:high/7-1" && d.payload == "{\"v\":1}")
        #expect(d.detail.contains("delivered 4 times"))
    }
}
