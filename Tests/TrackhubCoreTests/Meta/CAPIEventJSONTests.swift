import Foundation
import Testing
@testable import TrackhubCore

/// `CAPIEvent.jsonData()` is hand-written for speed; the `Encodable` conformances encoded by
/// `JSONEncoder` (sorted keys, slashes unescaped) are the reference it must match byte for byte.
@Suite("CAPIEvent fast JSON matches JSONEncoder")
struct CAPIEventJSONTests {
    static func reference(_ event: CAPIEvent) throws -> String {
        String(decoding: try MetaJSON.makeEncoder().encode(event), as: UTF8.self)
    }

    static let awkwardStrings = [
        "plain", "a/b", "q\"u\"ote", "back\\slash", "\n\r\t\u{8}\u{C}", "\u{1}\u{1F}\u{7F}", "São Paulo", "\u{2028}x\u{2029}",
        "😀 emoji", " padded ", "\u{A0}nbsp\u{A0}", "https://lp.example.com/p?a=1&b=%20#f", "",
    ]

    static var events: [CAPIEvent] {
        var list = [CAPIEventEncodingTests.purchase()]
        for (i, s) in awkwardStrings.enumerated() {
            list.append(CAPIEvent(
                eventName: CAPIEventName(i % 2 == 0 ? "Lead" : s), eventTime: 1_700_000_000 + i, eventId: s,
                actionSource: CAPIActionSource.allCases[i % CAPIActionSource.allCases.count], eventSourceUrl: s, referrerUrl: s,
                optOut: i % 3 == 0 ? nil : i % 3 == 1,
                userData: CAPIUserData(hashed: HashedUserData(em: [s, "e2"], ph: i % 2 == 0 ? [] : ["p"], ct: [s], country: ["br"],
                                                              externalId: [s]),
                                       fbc: s, fbp: s, clientIpAddress: s, clientUserAgent: s),
                customData: CAPICustomData(value: [0, 197, 197.9, 19.27, 1e21, 1.5e-7, 2.5e15, 123456789.123, -0.0, 0.1][i % 10],
                                           currency: i % 2 == 0 ? " brl " : s, orderId: s, contentIds: [s, "id-\(i)"],
                                           contentType: s, numItems: i % 2 == 0 ? nil : i,
                                           extra: ["content_name": s, "item10": "x", "item2": s, "B": s, "_u": s, "é": s, "value": "dup"]),
                dataProcessingOptions: i % 4 == 0 ? nil : (i % 4 == 1 ? .notLimited : .limitedDataUse(country: i % 2, state: 1000))))
        }
        list.append(CAPIEvent(eventName: .pageView, eventTime: 1, actionSource: .website, userData: CAPIUserData()))
        return list
    }

    @Test("Same bytes as JSONEncoder for every shape of event")
    func sameBytes() throws {
        for event in Self.events {
            #expect(String(decoding: try event.jsonData(), as: UTF8.self) == (try Self.reference(event)))
        }
    }

    @Test("A NaN value is refused by both writers (JSONEncoder alone would write a bare NaN)")
    func nonFinite() {
        for value in [Decimal.nan] {
            let event = CAPIEvent(eventName: .purchase, eventTime: 1, actionSource: .other,
                                  userData: CAPIUserData(clientIpAddress: "203.0.113.7"), customData: CAPICustomData(value: value, currency: "BRL"))
            #expect(throws: EncodingError.self) { try event.jsonData() }
            #expect(throws: EncodingError.self) { try Self.reference(event) }
        }
    }
}
