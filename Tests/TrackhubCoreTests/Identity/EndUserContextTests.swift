import Foundation
import Testing
@testable import TrackhubCore

/// The one rule for whose IP, user agent, fbc, fbp and page reach Meta (issue 15 item 5).
@Suite("end user context: the event's own values, the click's, never a server's")
struct EndUserContextTests {
    static let click = ClickContext(clickID: "c1", fbc: "fb.1.1700000000000.IwAR-click", fbp: "fb.1.1700000000000.111",
                                    ip: "177.20.30.4", userAgent: "Mozilla/5.0 (Android 14) click", occurredAt: Date(),
                                    pageURL: "https://lp.shop.example/vsl?th_cid=c1&utm_source=fb", tenant: "shop")
    static let serverIP = "198.51.100.9"
    static let serverUA = "python-requests/2.31"

    @Test("what arrives: a browser's connection is the person's; a server's is not, only its explicit values count")
    func reported() {
        let explicit = EndUserContext(ip: "203.0.113.7", userAgent: "Mozilla/5.0 (iPhone) buyer", fbc: nil, fbp: "fb.1.1.2", page: nil)
        let browser = EndUserContext.reported(by: .browser, connectionIP: "177.1.1.1", connectionUserAgent: "Mozilla/5.0 page",
                                              explicit: explicit)
        #expect(browser.ip == "177.1.1.1" && browser.userAgent == "Mozilla/5.0 page", "a browser cannot vouch for another address")
        #expect(browser.fbp == "fb.1.1.2")
        let server = EndUserContext.reported(by: .server, connectionIP: Self.serverIP, connectionUserAgent: Self.serverUA, explicit: explicit)
        #expect(server == explicit)
        let bare = EndUserContext.reported(by: .server, connectionIP: Self.serverIP, connectionUserAgent: Self.serverUA,
                                           explicit: EndUserContext())
        #expect(bare.ip == nil && bare.userAgent == nil, "never the server's own connection")
    }

    @Test("a server event with only a click id gets every field from the click, its landing page without the query")
    func serverBorrowsClick() {
        let r = EndUserContext.resolve(reporter: .server, reported: EndUserContext(), click: Self.click)
        #expect(r == EndUserContext(ip: "177.20.30.4", userAgent: "Mozilla/5.0 (Android 14) click",
                                    fbc: "fb.1.1700000000000.IwAR-click", fbp: "fb.1.1700000000000.111",
                                    page: "https://lp.shop.example/vsl"))
    }

    @Test("what the server passed explicitly wins, field by field; the click fills the rest")
    func explicitWins() {
        let reported = EndUserContext(ip: "203.0.113.7", userAgent: nil, fbc: nil, fbp: "fb.1.1.2", page: "https://lp.shop.example/obrigado")
        let r = EndUserContext.resolve(reporter: .server, reported: reported, click: Self.click)
        #expect(r.ip == "203.0.113.7")
        #expect(r.userAgent == Self.click.userAgent)
        #expect(r.fbc == Self.click.fbc)
        #expect(r.fbp == "fb.1.1.2")
        #expect(r.page == "https://lp.shop.example/obrigado")
    }

    @Test("no click and nothing explicit: empty, no guess")
    func nothing() {
        #expect(EndUserContext.resolve(reporter: .server, reported: EndUserContext(), click: nil) == EndUserContext())
    }

    @Test("a browser event: unchanged — its own connection wins, the click fills gaps, its page is its own")
    func browserUnchanged() {
        let reported = EndUserContext(ip: "177.1.1.1", userAgent: "Mozilla/5.0 page", fbc: nil, fbp: nil, page: nil)
        let r = EndUserContext.resolve(reporter: .browser, reported: reported, click: Self.click)
        #expect(r.ip == "177.1.1.1" && r.userAgent == "Mozilla/5.0 page")
        #expect(r.fbc == Self.click.fbc && r.fbp == Self.click.fbp)
        #expect(r.page == nil, "a browser event without page_url does not borrow the click's page")
    }

    @Test("the interpreter: a server's lead carries the click's IP/UA/fbc as a website event; the explicit IP wins")
    func interpreterUsesTheRule() throws {
        let interpreter = EnvelopeInterpreter(keys: KeyRing(keys: [("k1", Array(repeating: 7, count: 32))]))
        let config = DispatchConfig(
            pixels: ["p1": DispatchConfig.Pixel(id: "p1", tenant: "shop", accessToken: "TOKEN", mode: .live, batchSize: 500)],
            tenants: ["shop": DispatchConfig.Tenant(id: "shop", defaultPixel: "p1")])
        func lead(_ ip: String?) throws -> CAPIEvent {
            let e = Envelope(id: "01JD0000000000000000000S2S", kind: .track, receivedAt: Int64(Date().timeIntervalSince1970 * 1000),
                             tenant: "shop", track: .init(event: "lead", clickId: "c1", ip: ip, reporter: .server))
            let out = try interpreter.interpret(try Envelope.decode(try e.encoded()), config: config, click: Self.click, hashed: nil)
            return try #require(out.events.first?.event)
        }
        let borrowed = try lead(nil)
        #expect(borrowed.userData.clientIpAddress == "177.20.30.4")
        #expect(borrowed.userData.clientUserAgent == Self.click.userAgent)
        #expect(borrowed.userData.fbc == Self.click.fbc)
        #expect(borrowed.actionSource == .website)
        #expect(borrowed.eventSourceUrl == "https://lp.shop.example/vsl")
        #expect(try lead("203.0.113.7").userData.clientIpAddress == "203.0.113.7")
    }
}
