import Foundation
import Testing
@testable import TrackhubCore

@Suite("what a matched click lends a sale event")
struct SaleClickFieldsTests {
    let click = ClickContext(clickID: "01jd0000000000000000000000", fbc: "fb.1.1760000000000.IwAR-x", fbp: "fb.1.1759999999000.123",
                             ip: "177.20.30.40", userAgent: "UA/1", occurredAt: Date(), touchpointID: 9,
                             pageURL: "https://lp.example.com/oferta?utm_source=fb&fbclid=IwAR-x#top", tenant: "demo")

    @Test("the click's values win, the buyer's fill the gaps; website needs a page and a user agent")
    func precedence() {
        let f = SaleClickFields(click: click, buyerIP: "10.9.8.7", buyerUserAgent: "Buyer/2")
        #expect(f.fbc == click.fbc && f.fbp == click.fbp && f.ip == "177.20.30.40" && f.userAgent == "UA/1")
        #expect(f.sourceURL == "https://lp.example.com/oferta" && f.actionSource == .website)
        let unmatched = SaleClickFields(click: nil, buyerIP: "10.9.8.7", buyerUserAgent: nil)
        #expect(unmatched.ip == "10.9.8.7" && unmatched.fbc == nil && unmatched.actionSource == .systemGenerated)
        var noUA = click
        noUA.userAgent = nil
        #expect(SaleClickFields(click: noUA, buyerIP: nil, buyerUserAgent: nil).actionSource == .systemGenerated)
    }

    @Test("a held event's JSON is patched with the late click, keeping everything else")
    func patch() throws {
        let built = CAPIEvent(eventName: .purchase, eventTime: 1_760_000_000, eventId: "hotmart.HP1", actionSource: .systemGenerated,
                              userData: CAPIUserData(hashed: HashedUserData(em: ["a".repeated(64)]), clientIpAddress: "10.9.8.7"),
                              customData: CAPICustomData(value: 297.9, currency: "BRL", orderId: "HP1"))
        let json = String(decoding: try built.jsonData(), as: UTF8.self)
        let patched = try #require(SaleClickFields(click: click, buyerIP: nil, buyerUserAgent: nil).applied(toEventJSON: json))
        let o = try #require(try JSONSerialization.jsonObject(with: Data(patched.utf8)) as? [String: Any])
        let user = try #require(o["user_data"] as? [String: Any])
        #expect(user["fbc"] as? String == click.fbc && user["fbp"] as? String == click.fbp)
        #expect(user["client_ip_address"] as? String == "177.20.30.40" && user["client_user_agent"] as? String == "UA/1")
        #expect(user["em"] as? [String] == ["a".repeated(64)])
        #expect(o["action_source"] as? String == "website" && o["event_source_url"] as? String == "https://lp.example.com/oferta")
        #expect(o["event_id"] as? String == "hotmart.HP1" && o["event_time"] as? Int == 1_760_000_000)
        let custom = try #require(o["custom_data"] as? [String: Any])
        #expect(custom["value"] as? Double == 297.9 && custom["order_id"] as? String == "HP1")
        #expect(SaleClickFields(click: click, buyerIP: nil, buyerUserAgent: nil).applied(toEventJSON: "[1]") == nil)
    }
}

private extension String {
    func repeated(_ n: Int) -> String { String(repeating: self, count: n) }
}
