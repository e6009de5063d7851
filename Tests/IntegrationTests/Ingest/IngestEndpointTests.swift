import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// ingestd as a real process against the real Redis started by scripts/test: every 2xx/302 has
/// its envelope in a stream with the same ids; bad input is refused with problem+json and
/// appends nothing.
@Suite("ingestd endpoints", .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis)"))
struct IngestEndpointTests {
    @Test("GET /go/{slug} redirects to the configured destination and the click is in Redis")
    func goRedirect() async throws {
        let f = try IngestFixture(name: "go")
        try await f.start()
        defer { Task { await f.stop() } }

        let r = try await RawHTTP.get(port: f.port, "/go/hot?utm_source=fb&utm_campaign=black%20friday&fbclid=IwAR-Ab_9&x=1",
                                      headers: [("User-Agent", "Mozilla/5.0 test"), ("Cookie", "_fbp=fb.1.1596403881668.1116446470")])
        #expect(r.status == 302)
        let location = try #require(r.header("Location"))
        let comps = try #require(URLComponents(string: location))
        #expect(comps.host == "pay.hotmart.com")
        #expect(comps.path == "/X123")
        let items = comps.queryItems ?? []
        let sck = try #require(items.first { $0.name == "sck" }?.value)
        #expect(ClickID.isValid(sck))
        #expect(items.filter { $0.name == "sck" }.count == 1)
        #expect(items.first { $0.name == "src" }?.value == sck)
        #expect(items.first { $0.name == "off" }?.value == "abc")
        #expect(items.first { $0.name == "utm_campaign" }?.value == "black friday")
        #expect(items.first { $0.name == "x" } == nil)
        #expect(r.header("Set-Cookie")?.hasPrefix("th_cid=\(sck);") == true)

        let envelopes = try f.envelopes(.normal)
        #expect(envelopes.count == 1)
        let e = try #require(envelopes.first?.1)
        #expect(e.id == sck)
        #expect(e.kind == .click)
        #expect(e.click?.clickId == sck)
        #expect(e.click?.utm["utm_source"] == "fb")
        #expect(e.click?.userAgent == "Mozilla/5.0 test")
        #expect(e.click?.fbp == "fb.1.1596403881668.1116446470")
        let fbc = try #require(e.click?.fbc)
        #expect(fbc.hasPrefix("fb.1."))
        #expect(fbc.hasSuffix(".IwAR-Ab_9"))
        #expect(e.click?.destination == location)
        #expect(e.click?.ip == "127.0.0.1")
    }

    @Test("Telegram links use a deep link with the click id; generic links keep their fragment last")
    func telegramAndGeneric() async throws {
        let f = try IngestFixture(name: "tg")
        try await f.start()
        defer { Task { await f.stop() } }
        let tg = try await RawHTTP.get(port: f.port, "/go/bot")
        #expect(tg.status == 302)
        let loc = try #require(tg.header("Location"))
        #expect(loc.hasPrefix("https://t.me/acme_sales_bot?start="))
        let page = try await RawHTTP.get(port: f.port, "/go/page?utm_medium=cpc")
        let pageLoc = try #require(page.header("Location"))
        #expect(pageLoc.hasPrefix("https://lp.acme.example/oferta?"))
        #expect(pageLoc.hasSuffix("#form"))
        #expect(pageLoc.contains("cid="))
        #expect(pageLoc.contains("utm_medium=cpc"))
        #expect(try f.streamLength(.normal) == 2)
    }

    @Test("unknown slugs and hostile redirect attempts get 404 and append nothing",
          arguments: ["/go/nope", "/go/%2F%2Fevil.com", "/go//evil.com", "/go/..%2Fhot", "//evil.com/go/hot", "/go/hot/../../evil"])
    func hostileRedirects(target: String) async throws {
        let f = try IngestFixture(name: "hostile")
        try await f.start()
        defer { Task { await f.stop() } }
        let r = try await RawHTTP.get(port: f.port, target)
        #expect(r.status == 404 || r.status == 400)
        #expect(r.header("Location") == nil)
        #expect(try f.streamLength(.normal) == 0)
    }

    @Test("request parameters cannot choose the host, and header injection is encoded away")
    func hostileParameters() async throws {
        let f = try IngestFixture(name: "params")
        try await f.start()
        defer { Task { await f.stop() } }
        let r = try await RawHTTP.get(port: f.port, "/go/kiwi?utm_source=%0d%0aSet-Cookie:%20x=1&url=https://evil.com&redirect=//evil.com&utm_content=%26sck%3Devil")
        #expect(r.status == 302)
        let location = try #require(r.header("Location"))
        #expect(location.hasPrefix("https://pay.kiwify.com.br/AbC?"))
        #expect(!location.contains("evil.com"))
        #expect(!location.contains("\r") && !location.contains("\n"))
        let items = URLComponents(string: location)?.queryItems ?? []
        #expect(items.filter { $0.name == "sck" }.count == 1)
        #expect(items.first { $0.name == "utm_content" }?.value == "&sck=evil")
        #expect(r.headers.filter { $0.0.lowercased() == "set-cookie" }.count == 1)
    }

    @Test("POST /track accepts a valid event, seals personal data, and keeps the browser event id")
    func trackAccepted() async throws {
        let f = try IngestFixture(name: "track")
        try await f.start()
        defer { Task { await f.stop() } }
        let body = #"{"tenant":"acme","click_id":"01jabcdefghjkmnpqrstvwxyz0","event_id":"evt-42","page_url":"https://lp.acme.example/?a=1","fbp":"fb.1.1596403881668.1116446470","user":{"email":"Canary.Person@Example.com","phone":"+55 11 98765-4321"},"value":97.5,"currency":"brl"}"#
        let r = try await RawHTTP.post(port: f.port, "/track/initiate_checkout", json: body, headers: [("Origin", IngestFixture.origin)])
        #expect(r.status == 202)
        #expect(r.header("Access-Control-Allow-Origin") == IngestFixture.origin)
        let id = try #require(r.json?["id"] as? String)
        #expect(r.json?["event_id"] as? String == "evt-42")
        let envelopes = try f.envelopes(.normal)
        #expect(envelopes.map(\.1.id) == [id])
        let track = try #require(envelopes.first?.1.track)
        #expect(track.event == "initiate_checkout")
        #expect(track.eventId == "evt-42")
        #expect(track.currency == "BRL")
        #expect(track.value == 97.5)
        let sealed = try #require(track.user)
        let user = try JSONDecoder().decode(RawUserData.self, from: try f.keys.open(sealed, for: try #require(envelopes.first?.1).userSealContext))
        #expect(user.email == "Canary.Person@Example.com")
        // Nothing personal in clear in Redis.
        let raw = try RedisConnection(endpoint: f.redisEndpoint).command(["XRANGE", f.layout.stream(.normal), "-", "+"])
        let text = "\(raw)"
        #expect(!text.contains("Canary.Person") && !text.contains("98765"))
        // Page views go to the low-priority stream.
        let pv = try await RawHTTP.post(port: f.port, "/track/pageview", json: #"{"tenant":"acme","session_id":"s1"}"#)
        #expect(pv.status == 202)
        #expect(try f.streamLength(.low) == 1)
    }

    @Test("bad /track input: 400 problem+json naming every bad field, nothing appended")
    func trackInvalid() async throws {
        let f = try IngestFixture(name: "trackbad")
        try await f.start()
        defer { Task { await f.stop() } }
        let body = #"{"tenant":"acme","click_id":"not valid!","page_url":"javascript:alert(1)","value":-3,"currency":"reais","consent":"yes","user":{"email":42}}"#
        let r = try await RawHTTP.post(port: f.port, "/track/lead", json: body)
        #expect(r.status == 400)
        #expect(r.header("Content-Type") == "application/problem+json")
        let fields = Set(((r.json?["errors"] as? [[String: String]]) ?? []).compactMap { $0["field"] })
        #expect(fields == ["click_id", "page_url", "value", "currency", "consent", "user.email"])
        #expect(r.json?["status"] as? Int == 400)
        let notJSON = try await RawHTTP.post(port: f.port, "/track/lead", json: "hello")
        #expect(notJSON.status == 400)
        let unknownTenant = try await RawHTTP.post(port: f.port, "/track/lead", json: #"{"tenant":"other","session_id":"s"}"#)
        #expect(unknownTenant.status == 400)
        let unknownEvent = try await RawHTTP.post(port: f.port, "/track/hack", json: #"{"tenant":"acme","session_id":"s"}"#)
        #expect(unknownEvent.status == 404)
        let wrongOrigin = try await RawHTTP.post(port: f.port, "/track/lead", json: #"{"tenant":"acme","session_id":"s"}"#, headers: [("Origin", "https://evil.example")])
        #expect(wrongOrigin.status == 403)
        let big = "{\"tenant\":\"acme\",\"session_id\":\"" + String(repeating: "a", count: 70_000) + "\"}"
        let tooLarge = try await RawHTTP.post(port: f.port, "/track/lead", json: big)
        #expect(tooLarge.status == 413)
        #expect(try f.streamLength(.normal) == 0)
        #expect(try f.streamLength(.low) == 0)
    }

    @Test("CORS preflight is allowed only for configured landing-page origins")
    func preflight() async throws {
        let f = try IngestFixture(name: "cors")
        try await f.start()
        defer { Task { await f.stop() } }
        let ok = try await RawHTTP.request(port: f.port, method: "OPTIONS", target: "/track/lead",
                                           headers: [("Origin", IngestFixture.origin), ("Access-Control-Request-Method", "POST")])
        #expect(ok.status == 204)
        #expect(ok.header("Access-Control-Allow-Origin") == IngestFixture.origin)
        let bad = try await RawHTTP.request(port: f.port, method: "OPTIONS", target: "/track/lead", headers: [("Origin", "https://evil.example")])
        #expect(bad.status == 403)
    }

    @Test("a signed sample webhook of every gateway is accepted; forged ones append nothing",
          arguments: Gateway.allCases)
    func webhooks(gateway: Gateway) async throws {
        let f = try IngestFixture(name: "wh")
        try await f.start()
        defer { Task { await f.stop() } }
        let good = GatewaySamples.signed(gateway, transaction: "T\(UInt32.random(in: 0...UInt32.max))")
        let r = try await RawHTTP.request(port: f.port, method: "POST", target: good.target, headers: good.headers, body: good.body)
        #expect(r.status == 200, "\(gateway): \(r.text)")
        let envelopes = try f.envelopes(.high)
        #expect(envelopes.count == 1)
        let webhook = try #require(envelopes.first?.1.webhook)
        #expect(webhook.gateway == gateway.rawValue)
        #expect(try f.keys.open(webhook.body, for: try #require(envelopes.first?.1).webhookSealContext) == Data(good.body))
        #expect(envelopes.first?.1.id == r.json?["id"] as? String)

        // Forged: right shape, wrong secret.
        let forged = GatewaySamples.signed(gateway, transaction: "F1", secret: "wrong-secret")
        let f1 = try await RawHTTP.request(port: f.port, method: "POST", target: forged.target, headers: forged.headers, body: forged.body)
        #expect(f1.status == 401)
        // The console's trace of both: times and a coarse reason, never the body or a secret.
        let traceKey = f.layout.webhookTrace(gateway: gateway.rawValue, account: "main")
        let conn = try RedisConnection(endpoint: f.redisEndpoint)
        defer { conn.close() }
        let trace = WebhookTrace.parse(try conn.checked(["HGETALL", traceKey]))
        let accepted = try #require(trace.acceptedAt, "\(gateway): the authenticated delivery is traced")
        let refused = try #require(trace.refusedAt, "\(gateway): the refused delivery is traced")
        #expect(trace.refusedReason == .badSignature && refused >= accepted)
        #expect(trace.status(since: accepted) == .refused(at: refused, reason: .badSignature))
        #expect(try conn.checked(["HKEYS", traceKey]).elements.compactMap(\.text).sorted() == ["accepted_at", "refused_at", "refused_reason"])
        #expect(try conn.checked(["TTL", traceKey]).int ?? 0 > 0)
        // Tampered body after signing (Monetizze and Telegram sign nothing: a shared key, checked above).
        if gateway != .monetizze, gateway != .telegram {
            var tampered = good.body
            tampered[tampered.count - 2] = UInt8(ascii: "X")
            let f2 = try await RawHTTP.request(port: f.port, method: "POST", target: good.target, headers: good.headers, body: tampered)
            #expect(f2.status == 401 || f2.status == 400)
        }
        // Not the gateway's format.
        let f3 = try await RawHTTP.request(port: f.port, method: "POST", target: good.target, headers: good.headers, body: Array("<xml/>".utf8))
        #expect(f3.status == 400 || f3.status == 401)
        // Unknown account.
        let f4 = try await RawHTTP.request(port: f.port, method: "POST", target: "/webhooks/\(gateway.rawValue)/nobody", headers: good.headers, body: good.body)
        #expect(f4.status == 404)
        #expect(try f.streamLength(.high) == 1)
    }

    @Test("a Stripe delivery with an old or future timestamp is refused")
    func stripeReplay() async throws {
        let f = try IngestFixture(name: "stripe")
        try await f.start()
        defer { Task { await f.stop() } }
        for skew in [-3600.0, 3600.0] {
            let s = GatewaySamples.signed(.stripe, transaction: "R1", now: Date().addingTimeInterval(skew))
            let r = try await RawHTTP.request(port: f.port, method: "POST", target: s.target, headers: s.headers, body: s.body)
            #expect(r.status == 401)
        }
        #expect(try f.streamLength(.high) == 0)
    }

    @Test("health, readiness, metrics and the tracking script")
    func operationalEndpoints() async throws {
        let f = try IngestFixture(name: "ops")
        try await f.start()
        defer { Task { await f.stop() } }
        #expect(try await RawHTTP.get(port: f.port, "/healthz").status == 200)
        let ready = try await RawHTTP.get(port: f.port, "/readyz")
        #expect(ready.json?["ready"] as? Bool == true)
        _ = try await RawHTTP.get(port: f.port, "/go/hot")
        let metrics = try await RawHTTP.get(port: f.port, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("trackhub_ingest_append_batch_size"))
        let script = try await RawHTTP.get(port: f.port, "/t.js")
        #expect(script.status == 200)
        #expect(script.text.contains("w.trackhub={track:") && script.text.contains("})(window,document,location);"))
    }

    @Test("SIGTERM stops ingestd cleanly with exit status 0")
    func gracefulStop() async throws {
        let f = try IngestFixture(name: "term")
        try await f.start()
        _ = try await RawHTTP.get(port: f.port, "/go/hot")
        let status = await f.daemon.terminate()
        #expect(status == 0)
        #expect(try f.streamLength(.normal) == 1)
    }

    @Test("without Redis and without a published snapshot, ingestd is not ready; a bad setting stops it with a message")
    func startupErrors() async throws {
        let dir = try TestEnvironment.scratchDirectory("badcfg")
        let bad = try DaemonProcess(binary: "ingestd", arguments: ["--port", "eighty"], environment: [:], logPath: dir + "/log")
        for _ in 0..<100 where bad.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!bad.isRunning)
        #expect(bad.log.contains("--port"))
    }
}
