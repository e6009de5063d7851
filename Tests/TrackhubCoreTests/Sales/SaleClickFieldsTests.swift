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

    @Test("a held event is patched with the late click's fields, keeping everything else, and still serialises")
    func patch() throws {
        let built = CAPIEvent(eventName: .purchase, eventTime: 1_760_000_000, eventId: "hotmart.HP1", actionSource: .systemGenerated,
                              userData: CAPIUserData(hashed: HashedUserData(em: ["a".repeated(64)]), clientIpAddress: "10.9.8.7"),
                              customData: CAPICustomData(value: 297.9, currency: "BRL", orderId: "HP1"))
        let patched = SaleClickFields(click: click, buyerIP: nil, buyerUserAgent: nil).applied(to: built)
        #expect(patched.userData.fbc == click.fbc && patched.userData.fbp == click.fbp)
        #expect(patched.userData.clientIpAddress == "177.20.30.40" && patched.userData.clientUserAgent == "UA/1")
        #expect(patched.userData.hashed.em == ["a".repeated(64)])
        #expect(patched.actionSource == .website && patched.eventSourceUrl == "https://lp.example.com/oferta")
        #expect(patched.eventId == "hotmart.HP1" && patched.eventTime == 1_760_000_000 && patched.customData == built.customData)
        let o = try #require(try JSONSerialization.jsonObject(with: patched.jsonData()) as? [String: Any])
        #expect(o["action_source"] as? String == "website" && o["event_source_url"] as? String == "https://lp.example.com/oferta")
        // A click without a user agent makes the event system_generated, without a page.
        var noUA = click
        noUA.userAgent = nil
        let website = CAPIEvent(eventName: .purchase, eventTime: 1_760_000_000, eventId: "x", actionSource: .website,
                                eventSourceUrl: "https://a.example/", userData: CAPIUserData(clientIpAddress: "10.9.8.7"))
        let downgraded = SaleClickFields(click: noUA, buyerIP: nil, buyerUserAgent: nil).applied(to: website)
        #expect(downgraded.actionSource == .systemGenerated && downgraded.eventSourceUrl == nil)
    }
}

private extension String {
    func repeated(_ n: Int) -> String { String(repeating: self, count: n) }
}
