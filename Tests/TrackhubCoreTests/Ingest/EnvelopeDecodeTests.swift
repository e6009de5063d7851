import Foundation
import Testing
@testable import TrackhubCore

/// `Envelope.decode` is hand-written; the synthesized `Decodable` (JSONDecoder, snake_case) is the
/// reference: both must accept the same documents with the same result and refuse the same ones.
@Suite("Envelope fast decoding agrees with JSONDecoder")
struct EnvelopeDecodeTests {
    static func reference(_ text: String) throws -> Envelope {
        try Envelope.referenceDecoder.decode(Envelope.self, from: Data(text.utf8))
    }

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

    @Test("Accepted documents decode to the same envelope", arguments: accepted)
    func sameResult(_ text: String) throws {
        #expect(try Envelope.decodeFast(Array(text.utf8)) == (try Self.reference(text)))
    }

    @Test("Refused documents are refused by both", arguments: refused)
    func bothRefuse(_ text: String) {
        #expect(throws: DecodingError.self) { try Envelope.decodeFast(Array(text.utf8)) }
        #expect(throws: (any Error).self) { try Self.reference(text) }
    }
}
