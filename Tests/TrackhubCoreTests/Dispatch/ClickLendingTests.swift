import Foundation
import Testing
@testable import TrackhubCore

@Suite("lending a click's context: the tenant check and action_source, one rule")
struct ClickLendingTests {
    static func click(_ id: String, tenant: String) -> ClickContext {
        ClickContext(clickID: id, fbc: nil, fbp: nil, ip: "10.0.0.1", userAgent: "UA", occurredAt: Date(), tenant: tenant)
    }

    @Test("only a click of the event's own tenant lends")
    func tenant() {
        let clicks = ["c1": [Self.click("c1", tenant: "other")], "c2": [Self.click("c2", tenant: "other"), Self.click("c2", tenant: "mine")]]
        #expect(ClickLending.ownClick(clicks["c1"], tenant: "mine") == nil)
        #expect(ClickLending.ownClick(ids: ["c1", "c2"], tenant: "mine", in: clicks)?.tenant == "mine")
        #expect(ClickLending.ownClick(ids: ["c1"], tenant: "mine", in: clicks) == nil)
    }

    @Test("website needs a user agent and a page; otherwise system_generated without a page")
    func source() {
        #expect(ClickLending.source(userAgent: "UA", page: "https://a.example/") == (.website, "https://a.example/"))
        #expect(ClickLending.source(userAgent: nil, page: "https://a.example/") == (.systemGenerated, nil))
        #expect(ClickLending.source(userAgent: "UA", page: nil) == (.systemGenerated, nil))
        #expect(ClickLending.source(userAgent: " ", page: "https://a.example/") == (.systemGenerated, nil))
        #expect(ClickLending.pageURL("https://lp.example.com/o?fbclid=x#top") == "https://lp.example.com/o")
        #expect(ClickLending.pageURL("tg://resolve?domain=bot") == nil)
    }
}
