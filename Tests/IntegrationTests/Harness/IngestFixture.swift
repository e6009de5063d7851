import Foundation
import TrackhubCore

/// A real `ingestd` process on its own port, spool directory, key ring and stream prefix,
/// serving a published snapshot with one tenant, several links and one account per gateway.
final class IngestFixture: @unchecked Sendable {
    // @unchecked: immutable after `start`, except the daemon handle replaced by `restart`.
    static let tenant = "acme"
    static let origin = "https://lp.acme.example"
    static let pixel = "111222333"
    /// Secrets per gateway account "main" (test values only).
    static let secrets: [Gateway: String] = [
        .hotmart: "hottok-test-123", .kiwify: "kiwify-token-123", .eduzz: "eduzz-key-123",
        .monetizze: "monetizze-chave-123", .mercadopago: "mp-secret-123", .stripe: "whsec_test123",
        .telegram: "tg_secret-123",
    ]

    let layout: StreamLayout
    let dir: String
    let keys: KeyRing
    let keyFile: String
    let redisURL: String
    private(set) var daemon: DaemonProcess!
    private(set) var port: Int = 0

    init(name: String, redisURL: String = TestEnvironment.redisURL!) throws {
        layout = StreamLayout(prefix: TestEnvironment.uniquePrefix(name))
        dir = try TestEnvironment.scratchDirectory("ingest-" + name)
        (keyFile, keys) = try TestEnvironment.masterKeyFile(in: dir)
        self.redisURL = redisURL
    }

    var redisEndpoint: RedisEndpoint { RedisEndpoint(url: redisURL)! }

    static func snapshot(keys: KeyRing, version: Int64 = 1) throws -> IngestSnapshot {
        IngestSnapshot(
            version: version, generatedAt: "test",
            tenants: [.init(id: tenant, allowedOrigins: [origin])],
            links: [
                .init(slug: "hot", tenant: tenant, pixel: pixel,
                      destination: .hotmart(url: "https://pay.hotmart.com/X123?off=abc&sck=old", alsoSrc: true)),
                .init(slug: "kiwi", tenant: tenant, pixel: pixel, destination: .kiwify(url: "https://pay.kiwify.com.br/AbC")),
                .init(slug: "bot", tenant: tenant, pixel: pixel,
                      destination: .telegram(bots: [.init(username: "acme_sales_bot", weight: 1)])),
                .init(slug: "page", tenant: tenant, pixel: nil,
                      destination: .generic(url: "https://lp.acme.example/oferta#form", parameter: "cid")),
            ],
            gatewayAccounts: try secrets.map { gateway, secret in
                .init(gateway: gateway.rawValue, account: "main", tenant: tenant,
                      secrets: [try keys.seal(string: secret, for: .gatewaySecret(tenant: tenant, gateway: gateway.rawValue, account: "main"))])
            }
        )
    }

    /// Publishes the snapshot and starts ingestd; returns when it is listening and ready.
    func start(publish: Bool = true, extraEnv: [String: String] = [:], launcher: [String] = []) async throws {
        if publish {
            let conn = try RedisConnection(endpoint: redisEndpoint)
            try SnapshotStore.publish(try Self.snapshot(keys: keys), layout: layout, connection: conn)
        }
        try await launch(extraEnv: extraEnv, launcher: launcher)
        try await waitReady()
    }

    func launch(extraEnv: [String: String] = [:], launcher: [String] = []) async throws {
        var env = [
            "TRACKHUB_INGEST_PORT": "0",
            "TRACKHUB_REDIS_URL": redisURL,
            "TRACKHUB_STREAM_PREFIX": layout.prefix,
            "TRACKHUB_SPOOL_DIR": dir + "/spool",
            "TRACKHUB_MASTER_KEY_FILE": keyFile,
            "TRACKHUB_SNAPSHOT_POLL_MS": "100",
            "TRACKHUB_LOG_LEVEL": "debug",
            // The default (50 ms) is what a live edge wants; a test machine running the suite's
            // other processes answers slower at times, and ingestd would acknowledge from the
            // spool — then append late, a duplicate dispatchd drops — where a test expects the
            // envelope in its stream. The fallback's own tests set their value.
            "TRACKHUB_INGEST_REDIS_TIMEOUT_MS": "1000",
        ]
        env.merge(extraEnv) { _, new in new }
        daemon = try DaemonProcess(binary: "ingestd", arguments: [], environment: env, logPath: dir + "/ingestd.log",
                                   launcher: launcher)
        port = try await daemon.waitForPort("ingestd listening")
    }

    func waitReady(timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let r = try? await RawHTTP.get(port: port, "/readyz"), r.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("ingestd not ready; log:\n\(daemon.log.suffix(2000))")
    }

    /// Every envelope in a stream, in order (id, decoded envelope).
    func envelopes(_ priority: StreamPriority) throws -> [(String, Envelope)] {
        let conn = try RedisConnection(endpoint: redisEndpoint)
        let reply = try conn.command(["XRANGE", layout.stream(priority), "-", "+"])
        return try StreamConsumer.parseEntries(reply, stream: layout.stream(priority)).map { entry in
            (entry.id, try Envelope.decode(entry.payload ?? []))
        }
    }

    func streamLength(_ priority: StreamPriority) throws -> Int {
        try RedisConnection(endpoint: redisEndpoint).command(["XLEN", layout.stream(priority)]).int ?? 0
    }

    /// Waits (bounded) until ingestd reports Redis connected and its spool drained.
    func waitSpoolDrained(timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let r = try? await RawHTTP.get(port: port, "/readyz"), r.json?["spool_pending"] as? Int == 0,
               r.json?["redis_connected"] as? Bool == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    func stop() async {
        await daemon?.terminate()
    }
}
