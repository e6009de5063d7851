import Foundation
import Testing
@testable import TrackhubCore

/// Issue 15 item 3 (leftover): a dropped identifier leaves a ledger note on the event — which
/// fields and why, never the values.
@Suite("ledger note of dropped identifiers")
struct UserDataDropNoteTests {
    static let keys = KeyRing(keys: [("k1", Array(repeating: 7, count: 32))])

    @Test("the note names each dropped field with its reason, and nothing when nothing was dropped")
    func note() throws {
        #expect(UserDataDrops.ledgerNote([]) == nil)
        let note = try #require(UserDataDrops.ledgerNote([.em, .ph]))
        let parsed = try #require(JSONValue.parse(note)?.arrayElements)
        #expect(parsed.count == 2)
        if case .string(let f)? = parsed[0].objectMembers?["field"] { #expect(f == "em") } else { Issue.record("no field: \(note)") }
        if case .string(let f)? = parsed[1].objectMembers?["field"] { #expect(f == "ph") } else { Issue.record("no field: \(note)") }
        for key in HashedUserData.Key.allCases { #expect(!UserDataDrops.reason(key).isEmpty) }
    }

    @Test("a /track lead with a broken e-mail: the event keeps its phone, and every ledger row of it notes em — without the value")
    func interpreterCarriesTheNote() throws {
        let interpreter = EnvelopeInterpreter(keys: Self.keys)
        let config = DispatchConfig(
            pixels: ["p1": DispatchConfig.Pixel(id: "p1", tenant: "shop", accessToken: "TOKEN", mode: .live, batchSize: 500)],
            tenants: ["shop": DispatchConfig.Tenant(id: "shop", defaultPixel: "p1")])
        let user = try Envelope.sealUser(RawUserData(email: "joao.silva-gmail.com", phone: "(11) 98765-4321"), tenant: "shop",
                                         envelopeID: "01JD0000000000000000000DRP", keys: Self.keys)
        let e = Envelope(id: "01JD0000000000000000000DRP", kind: .track, receivedAt: Int64(Date().timeIntervalSince1970 * 1000),
                         tenant: "shop", track: .init(event: "lead", sessionId: "s1", ip: "177.1.1.1", userAgent: "Mozilla/5.0", user: user))
        let entry = StreamEntry(stream: "th:ingest:normal", id: "1-1", payload: try e.encoded())
        let batch = interpreter.decode([entry], config: config)
        #expect(batch.dropped[e.id] == [.em])
        let funnel = interpreter.interpretFunnel(batch, clicks: [:], config: config, now: Date())
        let event = try #require(funnel.events.first)
        #expect(event.userDataDropped == [.em])
        #expect(event.event.userData.hashed.em.isEmpty && !event.event.userData.hashed.ph.isEmpty, "the field is dropped, the event kept")
        // Through the retry schedule and back (Codable), and into a ledger row.
        let again = try JSONDecoder().decode(OutboundEvent.self, from: try JSONEncoder().encode(event))
        #expect(again.userDataDropped == [.em])
        let row = LedgerEntry(event: again, attempt: 2, outcome: .retryScheduled)
        let note = try #require(UserDataDrops.ledgerNote(row.userDataDropped))
        #expect(note.contains("\"em\"") && !note.contains("joao") && !note.contains("gmail"))
        // An event written before the note existed still decodes, with none.
        var old = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(event)) as? [String: Any])
        old.removeValue(forKey: "userDataDropped")
        #expect(try JSONDecoder().decode(OutboundEvent.self, from: try JSONSerialization.data(withJSONObject: old)).userDataDropped == [])
    }
}
