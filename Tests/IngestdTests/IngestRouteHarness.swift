import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import TrackhubCore
@testable import ingestd

/// ingestd's application, built by the same composition function as the executable, over an
/// in-memory envelope sink and a fixed snapshot: the routes run in process, without Redis.
struct IngestRouteHarness {
    static let tenant = "acme"
    static let origin = "https://lp.acme.example"
    static let pixel = "111222333"
    static let hottok = "hottok-test-123"
    static let stripeSecret = "whsec_test123"
    /// Tenant `acme`'s server-to-server ingest key (only its hash is in the snapshot).
    static let ingestKey = "ths_" + String(repeating: "5a", count: 32)

    let keys = KeyRing(keys: [(id: "k1", bytes: Array(repeating: 7, count: 32))])
    let sink = RecordingEnvelopeSink()

    func snapshot() throws -> CompiledSnapshot {
        let secrets: [(Gateway, String)] = [(.hotmart, Self.hottok), (.stripe, Self.stripeSecret)]
        let snapshot = IngestSnapshot(
            version: 7, generatedAt: "test",
            tenants: [.init(id: Self.tenant, allowedOrigins: [Self.origin], ingestKeyHashes: [APIKeyStore.hash(Self.ingestKey)],
                             checkoutHosts: ["pay.acme.example=sck"], attributionWindowDays: 7)],
            links: [
                .init(slug: "hot", tenant: Self.tenant, pixel: Self.pixel,
                      destination: .hotmart(url: "https://pay.hotmart.com/X123?off=abc&sck=old", alsoSrc: true)),
            ],
            gatewayAccounts: try secrets.map { gateway, secret in
                .init(gateway: gateway.rawValue, account: "main", tenant: Self.tenant,
                      secrets: [try keys.seal(string: secret, for: .gatewaySecret(tenant: Self.tenant, gateway: gateway.rawValue, account: "main"))])
            })
        return try CompiledSnapshot(snapshot, keys: keys)
    }

    /// Runs `test` against the routes (`app.test(.router)`); `loaded: false` is ingestd before
    /// its first snapshot.
    func withApp<Value: Sendable>(loaded: Bool = true, _ test: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let configuration = try IngestConfiguration(SettingsResolver(flags: ["port": "0"], environment: [:]))
        let backends = IngestBackends(sink: sink, snapshots: FixedSnapshotSource(snapshot: loaded ? try snapshot() : nil), services: [])
        let app = buildIngestApplication(configuration, keys: keys, backends: backends,
                                         registry: PrometheusCollectorRegistry(), logger: Logger(label: "ingestd-test"))
        return try await app.test(.router, test)
    }

    /// A Hotmart delivery: JSON, authenticated by the shared token in `X-HOTMART-HOTTOK`.
    static func hotmart(transaction: String, token: String = hottok) -> (HTTPFields, [UInt8]) {
        let body = Array(#"{"id":"evt-\#(transaction)","event":"PURCHASE_APPROVED","version":"2.0.0","data":{"buyer":{"email":"buyer@example.com"},"purchase":{"transaction":"\#(transaction)","status":"APPROVED"}}}"#.utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("X-HOTMART-HOTTOK")!] = token
        return (headers, body)
    }

    /// A Stripe delivery: `Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`.
    static func stripe(id: String, secret: String = stripeSecret, now: Date = Date()) -> (HTTPFields, [UInt8]) {
        let body = Array(#"{"id":"\#(id)","type":"checkout.session.completed","data":{"object":{"id":"cs_\#(id)","payment_status":"paid","amount_total":9700,"currency":"brl","customer_details":{"email":"buyer@example.com"}}}}"#.utf8)
        let t = Int(now.timeIntervalSince1970)
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(t).".utf8) + body, using: SymmetricKey(data: Array(secret.utf8)))
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("Stripe-Signature")!] = "t=\(t),v1=" + mac.map { String(format: "%02x", $0) }.joined()
        return (headers, body)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any]
    }
}

extension ByteBuffer {
    init(json: String) { self.init(string: json) }
}
