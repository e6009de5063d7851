import Foundation
import Testing
@testable import TrackhubCore

/// The conversion JSON written by hand equals what `JSONEncoder` writes for the same values
/// (compared as parsed JSON: the column is `jsonb`, member order does not matter).
@Suite("stored JSON of conversions and webhooks")
struct SalesStoreJSONTests {
    private func parsed(_ text: String) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
    }

    private func reference<T: Encodable>(_ value: T) throws -> NSDictionary {
        try parsed(String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
    }

    @Test("tracking parameters: every field, none, and awkward strings")
    func tracking() throws {
        let cases = [
            TrackingParameters(),
            TrackingParameters(sck: "01m8544wgyehc4cyys88x6ah3h", src: "s\"rc\\", xcod: "cmpA", utmSource: "fb", utmMedium: "cpc",
                               utmCampaign: "black friday ✨", utmContent: "criativo_12|01m8", utmTerm: "a\nb\tc\u{1}",
                               s1: "1", s2: "", s3: "é", metadata: ["th_sid": "abc", "quote\"": "x\\y", "": "empty"],
                               clientReferenceID: "ref-9"),
            TrackingParameters(utmSource: "ig", metadata: ["click_id": "01m85"]),
        ]
        for t in cases {
            #expect(try parsed(SalesStore.trackingJSON(t)) == (try reference(t)))
        }
    }

    @Test("a webhook's query and headers, as JSONSerialization wrote them")
    func webhookQueryAndHeaders() throws {
        let queries: [[[String]]] = [[], [["signature", "a\"b\\c"]], [["x", ""], ["y", "é\n"]]]
        for q in queries {
            let ours = try #require(try JSONSerialization.jsonObject(with: Data(DispatchStore.queryJSON(q).utf8)) as? NSArray)
            #expect(ours == (q as NSArray))
        }
        let headers: [[String: String]] = [[:], ["Content-Type": "application/json", "X-Hotmart-Hottok": "tok\u{1}en", "x-q": "\""]]
        for h in headers {
            #expect(try parsed(DispatchStore.headersJSON(h)) == (h as NSDictionary))
        }
    }

    @Test("hashed buyer data: full, empty and partial")
    func buyer() throws {
        let cases = [
            HashedUserData(),
            HashedUserData(em: ["a", "b"], ph: ["c"], fn: ["d"], ln: ["e"], ct: ["f"], st: ["g"], zp: ["h"], country: ["i"],
                           db: ["j"], ge: ["k"], externalId: ["l", "m"]),
            HashedUserData(em: ["0f"], externalId: ["x"]),
        ]
        for h in cases {
            #expect(try parsed(SalesStore.buyerJSON(h)) == (try reference(h)))
        }
    }
}
