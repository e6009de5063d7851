import Foundation
import Testing
@testable import TrackhubCore

/// dispatchd's defence in depth (issue 14): whatever a gateway sends, a parsed sale holds no
/// U+0000 — JSON bodies are read with ``JSONReader/StringBytes/repaired`` and form bodies made
/// storable — so no conversion, look-up key or event id can fail a Postgres write with one.
@Suite struct SalesNULParsingTests {
    @Test("a Hotmart body with \\u0000 in sck and the transaction: parsed, every NUL as U+FFFD")
    func hotmartJSON() throws {
        var text = String(decoding: try SalesFixture.bytes(.hotmart, "purchase_approved.json"), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"01j9zq7x8kmd3v5r6t7w8y9abc\"", with: "\"ref\\u0000x\"")
        text = text.replacingOccurrences(of: "\"HP3601724950112\"", with: "\"HP36\\u0000\"")
        let c = try requireConversion(parseSale(.hotmart, body: Array(text.utf8)))
        #expect(c.tracking.sck == "ref\u{FFFD}x")
        #expect(c.transactionID == "HP36\u{FFFD}")
        #expect(StorableText.isStorable(c.purchaseEventID))
    }

    @Test("a Monetizze form with %00 in src: parsed, the NUL as U+FFFD")
    func monetizzeForm() throws {
        var text = String(decoding: try SalesFixture.bytes(.monetizze, "approved_form.txt"), as: UTF8.self)
        text = text.replacingOccurrences(of: "venda%5Bsrc%5D=01j9zv3c5d7e9f1g3h5j7k9m1n", with: "venda%5Bsrc%5D=a%00b")
        let c = try requireConversion(parseSale(.monetizze, body: Array(text.utf8), account: "ingles",
                                                contentType: "application/x-www-form-urlencoded"))
        #expect(c.tracking.src == "a\u{FFFD}b")
    }
}
