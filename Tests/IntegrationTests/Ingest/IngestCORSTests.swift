import Foundation
import Testing
import TrackhubCore

/// A browser shows a page an answer only when it carries `Access-Control-Allow-Origin`, so every
/// `/track` answer to an origin some tenant allows must have it — the errors most of all (413,
/// 403, 503, 400, 404), or the page sees an opaque network failure instead of the problem+json.
/// Paths no route matches answer problem+json too, not an empty 404.
@Suite("ingestd CORS and unknown routes", .serialized,
       .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis)"))
struct IngestCORSTests {
    /// A second tenant whose landing page is allowed for it only.
    static let otherOrigin = "https://lp.other.example"

    /// The fixture's snapshot plus tenant `other`, published, and ingestd started on it.
    static func start(_ f: IngestFixture) async throws {
        var snapshot = try IngestFixture.snapshot(keys: f.keys)
        snapshot.tenants.append(.init(id: "other", allowedOrigins: [otherOrigin]))
        try SnapshotStore.publish(snapshot, layout: f.layout, connection: try RedisConnection(endpoint: f.redisEndpoint))
        try await f.start(publish: false)
    }

    static func expectCORS(_ r: RawHTTP.Response, _ origin: String, status: Int, type: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == status, sourceLocation: sourceLocation)
        #expect(r.header("Access-Control-Allow-Origin") == origin, "status \(r.status)", sourceLocation: sourceLocation)
        #expect(r.header("Vary") == "Origin", sourceLocation: sourceLocation)
        #expect(r.header("Content-Type") == "application/problem+json", sourceLocation: sourceLocation)
        #expect(r.json?["type"] as? String == "urn:trackhub:problem:\(type)", sourceLocation: sourceLocation)
        #expect(r.json?["status"] as? Int == status, sourceLocation: sourceLocation)
    }

    @Test("413, 403, 400 and 404 answers to an allowed origin carry CORS headers; others' do not")
    func errorsCarryCORS() async throws {
        let f = try IngestFixture(name: "corserr")
        try await Self.start(f)
        defer { Task { await f.stop() } }
        let origin = [("Origin", IngestFixture.origin)]

        let big = "{\"tenant\":\"acme\",\"session_id\":\"" + String(repeating: "a", count: 70_000) + "\"}"
        Self.expectCORS(try await RawHTTP.post(port: f.port, "/track/lead", json: big, headers: origin),
                        IngestFixture.origin, status: 413, type: "body-too-large")
        // Allowed for tenant `other`, not for `acme`: the page must be able to read the 403.
        Self.expectCORS(try await RawHTTP.post(port: f.port, "/track/lead", json: #"{"tenant":"acme","session_id":"s"}"#,
                                               headers: [("Origin", Self.otherOrigin)]),
                        Self.otherOrigin, status: 403, type: "origin-not-allowed")
        Self.expectCORS(try await RawHTTP.post(port: f.port, "/track/lead", json: #"{"tenant":"acme"}"#, headers: origin),
                        IngestFixture.origin, status: 400, type: "validation")
        Self.expectCORS(try await RawHTTP.post(port: f.port, "/track/hack", json: #"{"tenant":"acme","session_id":"s"}"#, headers: origin),
                        IngestFixture.origin, status: 404, type: "not-found")
        let ok = try await RawHTTP.post(port: f.port, "/track/lead", json: #"{"tenant":"acme","session_id":"s"}"#, headers: origin)
        #expect(ok.status == 202)
        #expect(ok.header("Access-Control-Allow-Origin") == IngestFixture.origin)

        // An origin no tenant allows gets no CORS header on any answer.
        let evil = [("Origin", "https://evil.example")]
        let forbidden = try await RawHTTP.post(port: f.port, "/track/lead", json: #"{"tenant":"acme","session_id":"s"}"#, headers: evil)
        #expect(forbidden.status == 403)
        #expect(forbidden.header("Access-Control-Allow-Origin") == nil)
        let evilBig = try await RawHTTP.post(port: f.port, "/track/lead", json: big, headers: evil)
        #expect(evilBig.status == 413)
        #expect(evilBig.header("Access-Control-Allow-Origin") == nil)
        // Server-to-server routes never get them (a webhook is not a browser call).
        let webhook = try await RawHTTP.post(port: f.port, "/webhooks/hotmart/main", json: "{}", headers: origin)
        #expect(webhook.header("Access-Control-Allow-Origin") == nil)
        #expect(try f.streamLength(.normal) == 1)
    }

    @Test("a 503 (Redis down and the spool failing) carries CORS headers")
    func unavailableCarriesCORS() async throws {
        let redis = try PrivateRedis(name: "cors503")
        let f = try IngestFixture(name: "cors503", redisURL: redis.url)
        // The spool's log is /dev/full: every write to it fails with ENOSPC.
        try FileManager.default.createDirectory(atPath: f.dir + "/spool", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: f.dir + "/spool/spool.log", withDestinationPath: "/dev/full")
        try await Self.start(f)
        defer { Task { await f.stop() } }
        redis.stop()
        let r = try await RawHTTP.post(port: f.port, "/track/lead", json: #"{"tenant":"acme","session_id":"s"}"#,
                                       headers: [("Origin", IngestFixture.origin)])
        Self.expectCORS(r, IngestFixture.origin, status: 503, type: "unavailable")
    }

    @Test("unknown routes answer problem+json 404 (with CORS for an allowed origin)")
    func unknownRoutes() async throws {
        let f = try IngestFixture(name: "noroute")
        try await Self.start(f)
        defer { Task { await f.stop() } }
        let plain = try await RawHTTP.get(port: f.port, "/nope")
        #expect(plain.status == 404)
        #expect(plain.header("Content-Type") == "application/problem+json")
        #expect(plain.json?["type"] as? String == "urn:trackhub:problem:not-found")
        #expect(plain.header("Access-Control-Allow-Origin") == nil)
        // A typo in a page's script: the page can read the 404.
        Self.expectCORS(try await RawHTTP.post(port: f.port, "/trak/lead", json: "{}", headers: [("Origin", IngestFixture.origin)]),
                        IngestFixture.origin, status: 404, type: "not-found")
        // The right path with the wrong method is unknown too.
        let wrongMethod = try await RawHTTP.get(port: f.port, "/track/lead")
        #expect(wrongMethod.status == 404)
        #expect(wrongMethod.json?["detail"] as? String == "no GET endpoint at this path (see docs/API.md)")
    }
}
