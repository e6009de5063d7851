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

    @Test("a Stripe webhook signed over a body holding \\u0000, with ?note=%00x: verified over the raw bytes, sealed unchanged, the query not kept (no parser reads it)")
    func webhookSignedRawBytes() async throws {
        let h = IngestRouteHarness()
        let (headers, body) = IngestRouteHarness.stripe(id: "evt_nul\\u0000x")
        #expect(String(decoding: body, as: UTF8.self).contains("\\u0000"))
        let r = try await h.withApp { client in
            try await client.execute(uri: "/webhooks/stripe/main?note=%00x", method: .post, headers: headers, body: ByteBuffer(bytes: body))
        }
        #expect(r.status == .ok)
        let webhook = try #require(h.sink.appended.first?.envelope.webhook)
        #expect(try h.keys.open(webhook.body, for: try #require(h.sink.appended.first?.envelope).webhookSealContext) == Data(body))
        #expect(webhook.query == [])
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
        let user = try Envelope.openUser(try #require(track.user), tenant: "acme", envelopeID: try #require(h.sink.appended.first?.envelope.id), keys: h.keys)
        #expect(user.email == "a\u{FFFD}b@example.com")
    }
}

/// Bounded input and no personal data in URLs (issue 14): what a hostile or careless request
/// can put into an envelope.
@Suite("ingestd: bounded input, no personal data from URLs (in process)")
struct IngestBoundedInputTests {
    static let canaryEmail = "canary.person@example.com"
    static let canaryPhone = "5511987654321"
    static let canaryToken = "tok_canary_9f8e7d"

    @Test("110 utm_* parameters of 500 bytes, a 4 KB Referer and User-Agent: the click envelope stays about 4 KB")
    func floodedClickIsBounded() async throws {
        let h = IngestRouteHarness()
        var target = "/go/hot?fbclid=IwAR-Ab_9"
        for i in 0..<104 { target += "&utm_x\(i)=" + String(repeating: "v", count: 500) }
        for name in DestinationURLBuilder.passthroughParameters { target += "&\(name)=" + String(repeating: "d", count: 500) }
        var headers = HTTPFields()
        headers[.referer] = "https://ref.example/?utm_source=" + String(repeating: "r", count: 4000)
        headers[.userAgent] = String(repeating: "u", count: 4000)
        let r = try await h.withApp { [headers, target] client in try await client.execute(uri: target, method: .get, headers: headers) }
        #expect(r.status == .found)
        let e = try #require(h.sink.appended.first?.envelope)
        let size = try e.encoded().count
        let configured = "https://pay.hotmart.com/X123?off=abc&sck=old".utf8.count
        #expect(size <= 4096 + configured, "\(size) bytes")
        #expect(e.click?.utm["utm_source"] != nil && e.click?.fbc != nil)
        #expect((r.headers[.location]?.utf8.count ?? 0) <= 2048 + configured)
    }

    @Test("a canary e-mail, phone and token in the Referer, page_url, referrer and a webhook's query: in no envelope")
    func canariesNotKept() async throws {
        let h = IngestRouteHarness()
        let pii = "email=\(Self.canaryEmail)&tel=%2B\(Self.canaryPhone)&token=\(Self.canaryToken)"
        var goHeaders = HTTPFields()
        goHeaders[.referer] = "https://lp.acme.example/obrigado?\(pii)&utm_source=fb#access_token=\(Self.canaryToken)"
        let track = #"{"tenant":"acme","session_id":"s1","page_url":"https://lp.acme.example/obrigado?\#(pii)&utm_campaign=c1","referrer":"https://user:\#(Self.canaryToken)@ref.example/?\#(pii)"}"#
        let (stripeHeaders, stripeBody) = IngestRouteHarness.stripe(id: "evt_canary")
        let (go, tr, hook) = try await h.withApp { [goHeaders] client in
            (try await client.execute(uri: "/go/hot?utm_source=fb", method: .get, headers: goHeaders),
             try await client.execute(uri: "/track/lead", method: .post, body: ByteBuffer(string: track)),
             try await client.execute(uri: "/webhooks/stripe/main?\(pii)", method: .post, headers: stripeHeaders, body: ByteBuffer(bytes: stripeBody)))
        }
        #expect(go.status == .found && tr.status == .accepted && hook.status == .ok)
        let appended = h.sink.appended
        #expect(appended.count == 3)
        for a in appended {
            let text = String(decoding: try a.envelope.encoded(), as: UTF8.self)
            for canary in [Self.canaryEmail, Self.canaryPhone, Self.canaryToken, "canary.person%40"] {
                #expect(!text.contains(canary), "\(canary) in \(a.envelope.kind) envelope")
            }
        }
        #expect(appended[0].envelope.click?.referrer == "https://lp.acme.example/obrigado?utm_source=fb")
        #expect(appended[1].envelope.track?.pageUrl == "https://lp.acme.example/obrigado?utm_campaign=c1")
        #expect(appended[1].envelope.track?.referrer == "https://ref.example/")
        #expect(appended[2].envelope.webhook?.query == [])
    }
}
