import Foundation
import Testing
@testable import TrackhubCore

/// `Envelope.decode` reads by the one schema (`Envelope+Schema.swift`) with the rules the
/// envelope always had (those of the synthesized `Decodable` it replaced): required members
/// present with their type, optional ones missing or null, unknown members ignored, integral
/// numbers written with a fraction or exponent taken; everything else refused.
@Suite("Envelope decoding")
struct EnvelopeDecodeTests {
    static func click(_ id: String, at: Int64, _ build: (inout Envelope.Click) -> Void = { _ in }) -> Envelope {
        var c = Envelope.Click(slug: "s", pixel: nil, clickId: id, ip: nil, userAgent: nil, referrer: nil, utm: [:], fbclid: nil,
                               gclid: nil, ttclid: nil, fbc: nil, fbp: nil, destination: "https://d")
        build(&c)
        return Envelope(id: id, kind: .click, receivedAt: at, tenant: "t", click: c)
    }

    static let expected: [Envelope] = {
        var webhook = Envelope(id: "01w", kind: .webhook, receivedAt: 2, tenant: "t",
                               webhook: .init(gateway: "kiwify", account: "main", contentType: nil, query: [["signature", "x"], []],
                                              headers: ["x-request-id": "r"], body: Sealed(text: "v1.k1.b")))
        webhook.v = 0
        return [
            click("01a", at: 1_795_000_000_123),
            click("01a", at: 17) { $0.ip = "::1"; $0.utm = ["utm_source": "fb/x"]; $0.fbc = "fb.1.2.x" },
            Envelope(id: "01t", kind: .track, receivedAt: 1, tenant: "t",
                     track: .init(event: "lead", consent: true, value: 100, contentIds: ["a"], user: Sealed(text: "v1.k1.abc"))),
            Envelope(id: "01t", kind: .track, receivedAt: 1, tenant: "t", track: .init(event: "lead", consent: false, value: -0.5)),
            webhook,
            Envelope(id: "01b", kind: .track, receivedAt: 3, tenant: "t", track: .init(event: "pageview", consent: true)),
        ]
    }()

    static let accepted = [
        #"{"v":1,"id":"01a","kind":"click","received_at":1795000000123,"tenant":"t","click":{"slug":"s","click_id":"01a","utm":{},"destination":"https://d"}}"#,
        #"{"v":1,"id":"01a","kind":"click","received_at":17,"tenant":"t","click":{"slug":"s","pixel":null,"click_id":"01a","ip":"::1","utm":{"utm_source":"fb\/x"},"fbc":"fb.1.2.x","destination":"https://d"},"extra":[1,2]}"#,
        #"{"v":1,"id":"01t","kind":"track","received_at":1,"tenant":"t","track":{"event":"lead","consent":true,"value":1e2,"content_ids":["a"],"user":"v1.k1.abc"}}"#,
        #"{"v":1,"id":"01t","kind":"track","received_at":1.0,"tenant":"t","track":{"event":"lead","consent":false,"value":-0.5,"currency":null}}"#,
        #"{"id":"01w","v":0,"kind":"webhook","received_at":2,"tenant":"t","webhook":{"gateway":"kiwify","account":"main","query":[["signature","x"],[]],"headers":{"x-request-id":"r"},"body":"v1.k1.b"}}"#,
        #"{"v":1,"id":"01b","kind":"track","received_at":3,"tenant":"t","track":{"event":"pageview","consent":true},"click":null}"#,
    ]

    static let refused = [
        "", "[]", "{}", "null", #"{"v":1}"#,
        #"{"v":"1","id":"a","kind":"click","received_at":1,"tenant":"t"}"#,
        #"{"v":1,"id":"a","kind":"nope","received_at":1,"tenant":"t"}"#,
        #"{"v":1,"id":"a","kind":"click","received_at":1.5,"tenant":"t"}"#,
        #"{"v":1,"id":7,"kind":"click","received_at":1,"tenant":"t"}"#,
        #"{"v":1,"id":"a","kind":"click","received_at":1,"tenant":"t","click":{"slug":"s","click_id":"a","utm":{"k":1},"destination":"d"}}"#,
        #"{"v":1,"id":"a","kind":"click","received_at":1,"tenant":"t","click":{"slug":"s","click_id":"a","destination":"d"}}"#,
        #"{"v":1,"id":"a","kind":"track","received_at":1,"tenant":"t","track":{"event":"lead"}}"#,
        #"{"v":1,"id":"a","kind":"track","received_at":1,"tenant":"t","track":{"event":"lead","consent":1}}"#,
        #"{"v":1,"id":"a","kind":"track","received_at":1,"tenant":"t","track":{"event":"lead","consent":true,"value":"9"}}"#,
        #"{"v":1,"id":"a","kind":"webhook","received_at":1,"tenant":"t","webhook":{"gateway":"g","account":"a","query":[[1]],"headers":{},"body":"b"}}"#,
        #"{"v":1,"id":"a","kind":"webhook","received_at":1,"tenant":"t","webhook":{"gateway":"g","account":"a","headers":{},"body":"b"}}"#,
        #"{"v":1,"id":"a","kind":"click","received_at":1,"tenant":"t","click":[]}"#,
        #"{"v":1,"id":"a","kind":"click","received_at":1,"tenant":"t"} x"#,
    ]

    @Test("Accepted documents decode to the expected envelope", arguments: zip(accepted, expected))
    func decodesToExpected(_ text: String, _ envelope: Envelope) throws {
        #expect(try Envelope.decodeFast(Array(text.utf8)) == envelope)
    }

    @Test("Refused documents are refused", arguments: refused)
    func refuses(_ text: String) {
        #expect(throws: DecodingError.self) { try Envelope.decodeFast(Array(text.utf8)) }
    }

    @Test("Every accepted envelope is written back to a document that decodes to it", arguments: expected)
    func roundTrip(_ envelope: Envelope) throws {
        #expect(try Envelope.decodeFast(try envelope.encoded()) == envelope)
    }
}
