import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrackhubCore
@testable import ingestd

/// ingestd's routes in process, through Hummingbird's testing client, over an in-memory
/// envelope sink: what each answer is, and what was (or was not) appended for it. The same
/// routes as a real process against Redis: Tests/IntegrationTests/Ingest.
@Suite("ingestd routes (in process)")
struct IngestRouteTests {
    @Test("GET /go/{slug}: 302 to the configured destination; the click is appended first, with the same id")
    func goRedirect() async throws {
        let h = IngestRouteHarness()
        var headers = HTTPFields()
        headers[.userAgent] = "Mozilla/5.0 test"
        headers[.cookie] = "_fbp=fb.1.1596403881668.1116446470"
        let r = try await h.withApp { [headers] client in
            try await client.execute(uri: "/go/hot?utm_source=fb&fbclid=IwAR-Ab_9&x=1", method: .get, headers: headers)
        }
        #expect(r.status == .found)
        let location = try #require(r.headers[.location])
        let comps = try #require(URLComponents(string: location))
        #expect(comps.host == "pay.hotmart.com")
        let sck = try #require(comps.queryItems?.first { $0.name == "sck" }?.value)
        #expect(ClickID.isValid(sck))
        #expect(comps.queryItems?.first { $0.name == "x" } == nil)
        #expect(r.headers[.setCookie]?.hasPrefix("th_cid=\(sck);") == true)
        #expect(r.headers[.cacheControl] == "no-store")

        let appended = h.sink.appended
        #expect(appended.count == 1)
        let e = try #require(appended.first)
        #expect(e.stream == StreamLayout(prefix: "th").stream(.normal))
        #expect(e.envelope.id == sck)
        #expect(e.envelope.kind == .click)
        #expect(e.envelope.tenant == IngestRouteHarness.tenant)
        #expect(e.envelope.click?.pixel == IngestRouteHarness.pixel)
        #expect(e.envelope.click?.utm["utm_source"] == "fb")
        #expect(e.envelope.click?.userAgent == "Mozilla/5.0 test")
        #expect(e.envelope.click?.fbp == "fb.1.1596403881668.1116446470")
        #expect(e.envelope.click?.fbc?.hasSuffix(".IwAR-Ab_9") == true)
        #expect(e.envelope.click?.destination == location)
    }

    @Test("an unknown slug: 404 problem+json, nothing appended")
    func goUnknown() async throws {
        let h = IngestRouteHarness()
        let r = try await h.withApp { try await $0.execute(uri: "/go/nope", method: .get) }
        #expect(r.status == .notFound)
        #expect(r.headers[.contentType] == "application/problem+json")
        #expect(r.json?["type"] as? String == "urn:trackhub:problem:not-found")
        #expect(r.json?["status"] as? Int == 404)
        #expect(h.sink.appended.isEmpty)
    }

    @Test("POST /track: 202 with CORS; personal data sealed; page views go to the low-priority stream")
    func trackAccepted() async throws {
        let h = IngestRouteHarness()
        let body = #"{"tenant":"acme","click_id":"01jabcdefghjkmnpqrstvwxyz0","event_id":"evt-42","page_url":"https://lp.acme.example/?a=1","user":{"email":"Canary.Person@Example.com"},"value":97.5,"currency":"brl"}"#
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.origin] = IngestRouteHarness.origin
        let (r, pageview) = try await h.withApp { [headers] client in
            (try await client.execute(uri: "/track/initiate_checkout", method: .post, headers: headers, body: ByteBuffer(string: body)),
             try await client.execute(uri: "/track/pageview", method: .post, body: ByteBuffer(string: #"{"tenant":"acme","session_id":"s1"}"#)))
        }
        #expect(r.status == .accepted)
        #expect(r.headers[.accessControlAllowOrigin] == IngestRouteHarness.origin)
        #expect(r.json?["event_id"] as? String == "evt-42")
        #expect(pageview.status == .accepted)

        let appended = h.sink.appended
        let layout = StreamLayout(prefix: "th")
        #expect(appended.map(\.stream) == [layout.stream(.normal), layout.stream(.low)])
        let track = try #require(appended.first?.envelope.track)
        #expect(appended.first?.envelope.id == r.json?["id"] as? String)
        #expect(track.event == "initiate_checkout")
        #expect(track.currency == "BRL")
        let sealed = try #require(track.user)
        let user = try JSONDecoder().decode(RawUserData.self, from: try h.keys.open(sealed, for: try #require(appended.first?.envelope).userSealContext))
        #expect(user.email == "Canary.Person@Example.com")
        // Nothing personal in clear in what goes to Redis.
        #expect(!String(decoding: try appended[0].envelope.encoded(), as: UTF8.self).contains("Canary"))
    }

    @Test("bad /track input: 400 problem+json naming every bad field; 404, 403, 413 where due; nothing appended")
    func trackInvalid() async throws {
        let h = IngestRouteHarness()
        let bad = #"{"tenant":"acme","click_id":"not valid!","page_url":"javascript:alert(1)","value":-3,"currency":"reais","consent":"yes","user":{"email":42}}"#
        var evil = HTTPFields()
        evil[.origin] = "https://evil.example"
        let big = "{\"tenant\":\"acme\",\"session_id\":\"" + String(repeating: "a", count: 70_000) + "\"}"
        let statuses = try await h.withApp { [evil] client in
            let r = try await client.execute(uri: "/track/lead", method: .post, body: ByteBuffer(string: bad))
            #expect(r.status == .badRequest)
            #expect(r.headers[.contentType] == "application/problem+json")
            let fields = Set(((r.json?["errors"] as? [[String: String]]) ?? []).compactMap { $0["field"] })
            #expect(fields == ["click_id", "page_url", "value", "currency", "consent", "user.email"])
            #expect(r.json?["type"] as? String == "urn:trackhub:problem:validation")
            return [
                try await client.execute(uri: "/track/lead", method: .post, body: ByteBuffer(string: "hello")).status,
                try await client.execute(uri: "/track/lead", method: .post, body: ByteBuffer(string: #"{"tenant":"other","session_id":"s"}"#)).status,
                try await client.execute(uri: "/track/hack", method: .post, body: ByteBuffer(string: #"{"tenant":"acme","session_id":"s"}"#)).status,
                try await client.execute(uri: "/track/lead", method: .post, headers: evil, body: ByteBuffer(string: #"{"tenant":"acme","session_id":"s"}"#)).status,
                try await client.execute(uri: "/track/lead", method: .post, body: ByteBuffer(string: big)).status,
            ]
        }
        #expect(statuses == [.badRequest, .badRequest, .notFound, .forbidden, .contentTooLarge])
        #expect(h.sink.appended.isEmpty)
    }

    @Test("a signed webhook is appended with its raw body sealed; a forged one gets 401 and appends nothing")
    func webhooks() async throws {
        let h = IngestRouteHarness()
        let (hotHeaders, hotBody) = IngestRouteHarness.hotmart(transaction: "T1")
        let (forgedHeaders, forgedBody) = IngestRouteHarness.hotmart(transaction: "F1", token: "wrong-secret")
        let (stripeHeaders, stripeBody) = IngestRouteHarness.stripe(id: "evt_1")
        let (staleHeaders, staleBody) = IngestRouteHarness.stripe(id: "evt_2", now: Date().addingTimeInterval(-3600))
        let (ok, forged, stripe, stale, unknown) = try await h.withApp { client in
            (try await client.execute(uri: "/webhooks/hotmart/main", method: .post, headers: hotHeaders, body: ByteBuffer(bytes: hotBody)),
             try await client.execute(uri: "/webhooks/hotmart/main", method: .post, headers: forgedHeaders, body: ByteBuffer(bytes: forgedBody)),
             try await client.execute(uri: "/webhooks/stripe/main", method: .post, headers: stripeHeaders, body: ByteBuffer(bytes: stripeBody)),
             try await client.execute(uri: "/webhooks/stripe/main", method: .post, headers: staleHeaders, body: ByteBuffer(bytes: staleBody)),
             try await client.execute(uri: "/webhooks/hotmart/nobody", method: .post, headers: hotHeaders, body: ByteBuffer(bytes: hotBody)))
        }
        #expect(ok.status == .ok)
        #expect(stripe.status == .ok)
        #expect(forged.status == .unauthorized)
        #expect(forged.headers[.contentType] == "application/problem+json")
        #expect(forged.json?["type"] as? String == "urn:trackhub:problem:unauthorized")
        #expect(stale.status == .unauthorized)
        #expect(unknown.status == .notFound)

        let appended = h.sink.appended
        #expect(appended.count == 2)
        #expect(appended.allSatisfy { $0.stream == StreamLayout(prefix: "th").stream(.high) })
        let webhook = try #require(appended.first?.envelope.webhook)
        #expect(appended.first?.envelope.id == ok.json?["id"] as? String)
        #expect(webhook.gateway == "hotmart")
        #expect(webhook.account == "main")
        #expect(try h.keys.open(webhook.body, for: try #require(appended.first?.envelope).webhookSealContext) == Data(hotBody))
        #expect(webhook.headers.keys.allSatisfy { !$0.lowercased().contains("hottok") })
        #expect(appended.last?.envelope.webhook?.gateway == "stripe")
    }

    @Test("/healthz and /readyz: ready with a snapshot and a writable sink")
    func health() async throws {
        let h = IngestRouteHarness()
        let (health, ready, script) = try await h.withApp { client in
            (try await client.execute(uri: "/healthz", method: .get),
             try await client.execute(uri: "/readyz", method: .get),
             try await client.execute(uri: "/t.js", method: .get))
        }
        #expect(health.status == .ok)
        #expect(health.json?["status"] as? String == "ok")
        #expect(ready.status == .ok)
        #expect(ready.json?["ready"] as? Bool == true)
        #expect(ready.json?["snapshot_version"] as? Int == 7)
        #expect(ready.json?["redis_connected"] as? Bool == true)
        #expect(script.status == .ok)
        #expect(script.text.contains("trackhub={track:"))
    }

    @Test("before the first snapshot: /readyz 503 and every route answers 503 not-ready, nothing appended")
    func notReady() async throws {
        let h = IngestRouteHarness()
        let (ready, go, track) = try await h.withApp(loaded: false) { client in
            (try await client.execute(uri: "/readyz", method: .get),
             try await client.execute(uri: "/go/hot", method: .get),
             try await client.execute(uri: "/track/lead", method: .post, body: ByteBuffer(string: #"{"tenant":"acme","session_id":"s"}"#)))
        }
        #expect(ready.status == .serviceUnavailable)
        #expect(ready.json?["ready"] as? Bool == false)
        #expect(ready.json?["snapshot_version"] is NSNull)
        for r in [go, track] {
            #expect(r.status == .serviceUnavailable)
            #expect(r.headers[.contentType] == "application/problem+json")
            #expect(r.json?["type"] as? String == "urn:trackhub:problem:not-ready")
        }
        #expect(h.sink.appended.isEmpty)
    }

    @Test("when nothing can make an envelope durable: 503 problem+json (never a 302), /readyz 503")
    func sinkDown() async throws {
        let h = IngestRouteHarness()
        h.sink.failEverything()
        let (go, ready) = try await h.withApp { client in
            (try await client.execute(uri: "/go/hot", method: .get), try await client.execute(uri: "/readyz", method: .get))
        }
        #expect(go.status == .serviceUnavailable)
        #expect(go.headers[.location] == nil)
        #expect(go.json?["type"] as? String == "urn:trackhub:problem:unavailable")
        #expect(ready.status == .serviceUnavailable)
        #expect(ready.json?["spool_usable"] as? Bool == false)
    }
}
