import Foundation
import Testing
@testable import TrackhubCore

/// A sale whose body a worker cannot open (sealed with a key its key file lacks: the new key put
/// first before every worker knew it) is dead-lettered whole, so `dlq replay` puts it back in its
/// stream once the key is there. Fault-suite scenario 15's first run lost 13 sales this way: the
/// dead letter held only the envelope id.
@Suite("dead letter of an envelope")
struct DeadLetterEnvelopeTests {
    static let k1 = KeyRing(keys: [("k1", Array(repeating: 1, count: 32))])
    static let k2 = KeyRing(keys: [("k2", Array(repeating: 2, count: 32)), ("k1", Array(repeating: 1, count: 32))])

    @Test("a webhook sealed with an unknown key: the dead letter keeps the envelope, replay re-appends it to the high stream, the body opens with the new key")
    func unknownKeyReplayable() throws {
        let body = Array(#"{"event":"PURCHASE_APPROVED"}"#.utf8)
        let sealed = try Self.k2.seal(body, for: .webhookBody(tenant: "shop", envelope: "01env"))
        let envelope = Envelope(id: "01env", kind: .webhook, receivedAt: 1_790_000_000_000, tenant: "shop",
                                webhook: .init(gateway: "hotmart", account: "main", contentType: "application/json",
                                               query: [], headers: [:], body: sealed))
        let error = try #require(throws: Sealed.SealError.self) {
            try Self.k1.open(sealed, for: .webhookBody(tenant: "shop", envelope: "01env"))
        }
        let letter = DeadLetter.envelope(envelope, reason: .unparseable, detail: "webhook body cannot be opened: \(error)")
        #expect(letter.envelopeID == "01env")
        let payload = try #require(letter.payload)
        #expect(!payload.contains("PURCHASE_APPROVED"), "the body stays sealed in the dead letter")

        let layout = StreamLayout(prefix: "th")
        let row = DeadLetterAdmin.Row(id: 1, reason: letter.reason.rawValue, detail: letter.detail, eventID: nil, pixel: nil,
                                      envelopeID: letter.envelopeID, streamEntry: letter.streamEntry, payload: letter.payload, createdAt: nil)
        guard case .envelope(let stream, let replayed) = DeadLetterAdmin(layout: layout).plan(row, force: false) else {
            Issue.record("not replayable: \(DeadLetterAdmin(layout: layout).plan(row, force: false))")
            return
        }
        #expect(stream == layout.stream(.high))
        let back = try Envelope.decode(Array(replayed.utf8))
        #expect(back == envelope)
        #expect(Array(try Self.k2.open(try #require(back.webhook).body, for: .webhookBody(tenant: "shop", envelope: "01env"))) == body)
    }
}
