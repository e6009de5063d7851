import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrackhubCore
@testable import ingestd

/// What ingestd appends holds no U+0000 (issue 14): query values and kept headers are made
/// storable, a client's own fields with a syntax are refused with a 400 naming the field, and
/// a webhook's signature is checked over the bytes exactly as they arrived.
@Suite("ingestd: unstorable text (in process)")
struct IngestUnstorableTextTests {
    @Test("/go with %00 in utm values and names, gclid and ttclid: 302, the click appended with U+FFFD")
    func goQuery() async throws {
        let h = IngestRouteHarness()
        let r = try await h.withApp { client in
            try await client.execute(uri: "/go/hot?utm_source=%00x&utm_%00=y&gclid=g%00&ttclid=%00", method: .get)
        }
        #expect(r.status == .found)
        let click = try #require(h.sink.appended.first?.envelope.click)
        #expect(click.utm == ["utm_source": "\u{FFFD}x", "utm_\u{FFFD}": "y"])
        #expect(click.gclid == "g\u{FFFD}")
        #expect(click.ttclid == "\u{FFFD}")
        let text = String(decoding: try h.sink.appended[0].envelope.encoded(), as: UTF8.self)
        #expect(!text.contains("\\u0000"), "\(text)")
    }

    @Test("a Stripe webhook signed over a body holding \\u0000, with ?note=%00x: verified over the raw bytes, sealed unchanged, the query stored with U+FFFD")
    func webhookSignedRawBytes() async throws {
        let h = IngestRouteHarness()
        let (headers, body) = IngestRouteHarness.stripe(id: "evt_nul\\u0000x")
        #expect(String(decoding: body, as: UTF8.self).contains("\\u0000"))
        let r = try await h.withApp { client in
            try await client.execute(uri: "/webhooks/stripe/main?note=%00x", method: .post, headers: headers, body: ByteBuffer(bytes: body))
        }
        #expect(r.status == .ok)
        let webhook = try #require(h.sink.appended.first?.envelope.webhook)
        #expect(try h.keys.open(webhook.body, context: Envelope.webhookSealContext) == Data(body))
        #expect(webhook.query == [["note", "\u{FFFD}x"]])
    }

    @Test("/track: a control character in content_ids is a 400 naming the field; a NUL in user data is replaced")
    func trackFields() async throws {
        let h = IngestRouteHarness()
        let bad = #"{"tenant":"acme","session_id":"s1","content_ids":["\u0000x"]}"#
        let tab = #"{"tenant":"acme","session_id":"s1","content_ids":["a\tb"]}"#
        let ok = #"{"tenant":"acme","session_id":"s1","content_ids":["sku-1","Camisa Açaí 2"],"user":{"email":"a\u0000b@example.com"}}"#
        let (badR, tabR, okR) = try await h.withApp { client in
            (try await client.execute(uri: "/track/lead", method: .post, body: ByteBuffer(string: bad)),
             try await client.execute(uri: "/track/lead", method: .post, body: ByteBuffer(string: tab)),
             try await client.execute(uri: "/track/lead", method: .post, body: ByteBuffer(string: ok)))
        }
        #expect(badR.status == .badRequest)
        #expect(badR.headers[.contentType] == "application/problem+json")
        #expect(((badR.json?["errors"] as? [[String: String]]) ?? []).compactMap { $0["field"] } == ["content_ids"])
        #expect(tabR.status == .badRequest)
        #expect(okR.status == .accepted)
        #expect(h.sink.appended.count == 1)
        let track = try #require(h.sink.appended.first?.envelope.track)
        #expect(track.contentIds == ["sku-1", "Camisa Açaí 2"])
        let user = try Envelope.openUser(try #require(track.user), keys: h.keys)
        #expect(user.email == "a\u{FFFD}b@example.com")
    }
}
