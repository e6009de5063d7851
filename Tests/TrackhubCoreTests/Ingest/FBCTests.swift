import Foundation
import Testing
@testable import TrackhubCore

@Suite struct FBCTests {
    let clickTime = Date(timeIntervalSince1970: 1_554_763_741.205)

    @Test func makesFbcFromFbclidVerbatim() {
        let fbclid = "IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgE"
        #expect(FBC.make(fbclid: fbclid, clickTime: clickTime) == "fb.1.1554763741205.\(fbclid)")
        // Case is preserved (Meta: "do not apply any modifications").
        #expect(FBC.make(fbclid: "AbC_d-E~", clickTime: clickTime) == "fb.1.1554763741205.AbC_d-E~")
    }

    @Test(arguments: ["", "abc.def", "a b", "a%20b", "a+b", "a/b", "a=b", "ção", "a\r\nb", "a#b", "a\u{0}b"])
    func refusesFbclidsMetaCouldNotHaveIssued(_ fbclid: String) {
        #expect(FBC.make(fbclid: fbclid, clickTime: clickTime) == nil)
    }

    @Test func lengthLimit() {
        #expect(FBC.make(fbclid: String(repeating: "a", count: 500), clickTime: clickTime) != nil)
        #expect(FBC.make(fbclid: String(repeating: "a", count: 501), clickTime: clickTime) == nil)
    }

    @Test func madeValuesAreValidCookies() throws {
        let fbc = try #require(FBC.make(fbclid: "IwAR2F4-abc_DEF", clickTime: Date()))
        #expect(FBC.isValidCookie(fbc))
    }

    @Test(arguments: [
        "fb.1.1554763741205.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgE",
        "fb.1.1596403881668.1116446470", // fbp
        "fb.0.1596403881668.1116446470",
        "fb.2.1596403881668.1116446470",
        "fb.12.1596403881668.abc",
        "fb.1.1596403881668.abc.AQ", "fb.1.1596403881668.abc.Ag", "fb.1.1596403881668.abc.Bg",
        "fb.1.1596403881668.abc.AbCd-_12", // 8-char appendix
    ])
    func acceptsCookies(_ value: String) {
        #expect(FBC.isValidCookie(value))
    }

    @Test(arguments: [
        "", "fb", "fb.1.1596403881668", // too few segments
        "fb.1.1596403881668.abc.AQ.x", // six
        "fc.1.1596403881668.abc", "FB.1.1596403881668.abc",
        "fb..1596403881668.abc", "fb.x.1596403881668.abc", "fb.123.1596403881668.abc",
        "fb.1.1596403881.abc", // seconds, not milliseconds
        "fb.1.15964038816680.abc", "fb.1.159640388166a.abc",
        "fb.1.1596403881668.", "fb.1.1596403881668.a b", "fb.1.1596403881668.a%20",
        "fb.1.1596403881668.abc.ZZ", // unknown 2-char appendix
        "fb.1.1596403881668.abc.AQAQAQ", // neither 2 nor 8
        "fb.1.1596403881668.abc.AbCd+_12",
        "fb.1.1596403881668.abc.", " fb.1.1596403881668.abc", "fb.1.1596403881668.abc\n",
    ])
    func rejectsMalformedCookies(_ value: String) {
        #expect(!FBC.isValidCookie(value))
    }

    @Test func valueLengthLimit() {
        #expect(FBC.isValidCookie("fb.1.1596403881668." + String(repeating: "a", count: 500)))
        #expect(!FBC.isValidCookie("fb.1.1596403881668." + String(repeating: "a", count: 501)))
    }
}
