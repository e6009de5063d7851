import Foundation
import Testing
@_spi(PurposeOnlySeal) @testable import TrackhubCore

/// The one JSON writer: its escape profiles, and the U+0000 rule for everything Postgres stores
/// (issue 14: a NUL in `utm_source` dead-lettered a click, in a Hotmart `sck` a real sale,
/// because Postgres refuses `\u0000` in `jsonb` with SQLSTATE 22P05).
@Suite("JSONWriter")
struct JSONWriterTests {
    private func written(_ value: String, _ profile: JSONEscapeProfile) -> String {
        var w = JSONWriter(profile: profile)
        w.string(value)
        return w.text
    }

    @Test("the stored profile writes JSONEncoder's bytes for every ASCII byte but NUL, which becomes U+FFFD")
    func storedMatchesJSONEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for byte in 1...0x7F as ClosedRange<UInt8> {
            let value = "a" + String(decoding: [byte], as: UTF8.self) + "é"
            let reference = String(decoding: try encoder.encode(value), as: UTF8.self)
            #expect(written(value, .stored) == reference, "byte \(byte)")
        }
        #expect(written("utm\u{0}src", .stored) == "\"utm\u{FFFD}src\"")
        #expect(!written("\u{0}", .stored).contains("\\u0000"))
    }

    @Test("the envelope profile keeps NUL and escapes DEL: lossless and printable; a repaired read stores the NUL as U+FFFD")
    func envelopeKeepsEveryScalar() {
        #expect(written("a\u{0}b\u{7F}\u{08}\u{0C}", .envelope) == #""a\u0000b\u007f\u0008\u000c""#)
        let bytes = Array(written("a\u{0}b\u{7F}", .envelope).utf8)
        #expect(JSONValue.parse(bytes, strings: .validated) == .string("a\u{0}b\u{7F}"))
        #expect(JSONValue.parse(bytes, strings: .repaired) == .string("a\u{FFFD}b\u{7F}"))
    }

    @Test("integers are written as Swift prints them, at both ends of Int's range")
    func integers() {
        for value in [0, 1, -1, 9, 10, -10, 1_733_400_000_000, Int.max, Int.min, Int.min + 1] {
            var w = JSONWriter(profile: .envelope)
            w.int(value)
            #expect(w.text == String(value))
        }
    }

    @Test("a pre-encoded member name writes the bytes key(_:) writes")
    func encodedKeys() {
        var a = JSONWriter(profile: .envelope)
        var b = JSONWriter(profile: .envelope)
        a.beginObject(); a.key("click_id"); a.int(1); a.key("q\"x"); a.int(2); a.endObject()
        b.beginObject()
        b.key(encoded: JSONWriter.encodedKey("click_id", profile: .envelope)); b.int(1)
        b.key(encoded: JSONWriter.encodedKey("q\"x", profile: .envelope)); b.int(2)
        b.endObject()
        #expect(a.text == b.text)
        #expect(a.text == #"{"click_id":1,"q\"x":2}"#)
    }

    @Test("commas, nesting and sorted members")
    func structure() {
        var w = JSONWriter(profile: .stored)
        w.beginObject()
        w.key("a")
        w.beginArray()
        w.int(1)
        w.bool(false)
        w.double(2.5)
        w.double(3)
        w.array(["x", "y"])
        w.object(["b": "2", "a": "1", "é": "3", "Z": "0"])
        w.endArray()
        w.field("none", nil)
        w.field("s", "v")
        w.endObject()
        #expect(w.text == #"{"a":[1,false,2.5,3,["x","y"],{"Z":"0","a":"1","b":"2","é":"3"}],"s":"v"}"#)
    }

    @Test("every jsonb writer replaces NUL: touchpoint utm, conversion tracking, webhook query and headers, events")
    func storedColumnsHaveNoNUL() throws {
        let nul = "x\u{0}y"
        let texts0 = [
            SalesStore.trackingJSON(TrackingParameters(sck: nul, utmSource: nul, metadata: [nul: nul])),
            DispatchStore.queryJSON([[nul, nul]]),
            DispatchStore.headersJSON([nul: nul]),
            String(decoding: CAPIRequestBody.jsonString(nul), as: UTF8.self),
        ]
        var event = CAPIEventEncodingTests.purchase()
        event.userData.clientUserAgent = nul
        let click = Envelope(id: "01c", kind: .click, receivedAt: 1, tenant: "t",
                             click: .init(slug: "s", pixel: nil, clickId: "01c", ip: nil, userAgent: nil, referrer: nil,
                                          utm: ["utm_source": nul], fbclid: nil, gclid: nil, ttclid: nil, fbc: nil, fbp: nil,
                                          destination: "https://d"))
        let interpreter = EnvelopeInterpreter(keys: KeyRing(keys: [(id: "k1", bytes: [UInt8](repeating: 7, count: 32))]))
        let utm = try #require(interpreter.touchpoint(click, hashed: nil)?.utmJSON)
        let texts = texts0 + [String(decoding: try event.jsonBytes(), as: UTF8.self), utm]
        for text in texts {
            #expect(!text.contains("\\u0000") && !text.utf8.contains(0), "\(text)")
            #expect(text.contains("x\u{FFFD}y"), "\(text)")
            #expect(JSONValue.parse(Array(text.utf8), strings: .validated) != nil)
        }
    }
}

@Suite("Envelope user data")
struct EnvelopeUserTests {
    let keys = KeyRing(keys: [(id: "k1", bytes: [UInt8](repeating: 9, count: 32))])

    @Test("sealed user data opens to the same value, and opens what JSONEncoder sealed (older envelopes)")
    func roundTripAndCompatibility() throws {
        let users = [RawUserData(), RawUserData(email: "a@b.c", phone: "+55 11 9\u{0}", firstName: "Zoë \"Z\"", lastName: "x\ny",
                                                city: "São Paulo", state: "SP", zip: "01000", country: "BR", dateOfBirth: "1990-01-01",
                                                gender: "f", externalId: "42")]
        for user in users {
            // Opened as dispatchd opens it: storable, so U+0000 comes back as U+FFFD.
            var opened = user
            opened.phone = opened.phone.map { StorableText.storable($0) }
            #expect(try Envelope.openUser(Envelope.sealUser(user, tenant: "t", envelopeID: "e", keys: keys), tenant: "t", envelopeID: "e", keys: keys) == opened)
            let old = try keys.sealPurposeOnly(JSONEncoder().encode(user), for: .envelopeUser(tenant: "t", envelope: "e"))
            #expect(try Envelope.openUser(old, tenant: "t", envelopeID: "e", keys: keys) == opened)
            let ours = try keys.open(Envelope.sealUser(user, tenant: "t", envelopeID: "e", keys: keys), for: .envelopeUser(tenant: "t", envelope: "e"))
            #expect(try JSONDecoder().decode(RawUserData.self, from: ours) == user)
        }
        let wrongType = try keys.seal(Data(#"{"email":1}"#.utf8), for: .envelopeUser(tenant: "t", envelope: "e"))
        #expect(throws: DecodingError.self) { try Envelope.openUser(wrongType, tenant: "t", envelopeID: "e", keys: keys) }
        let otherEnvelope = try Envelope.sealUser(users[1], tenant: "t", envelopeID: "e2", keys: keys)
        #expect(throws: Sealed.SealError(.authenticationFailed)) { try Envelope.openUser(otherEnvelope, tenant: "t", envelopeID: "e", keys: keys) }
    }
}
