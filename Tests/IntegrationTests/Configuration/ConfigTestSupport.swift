import Foundation
import Testing
import TrackhubCore

/// What the configuration integration tests need: a scratch Postgres database (migrated), a
/// key ring, and — for publishing — Redis with a private key prefix.
enum ConfigTestEnvironment {
    static var hasPostgres: Bool { PostgresTestEnvironment.isConfigured }
    static var hasPostgresAndRedis: Bool { hasPostgres && redisURL != nil }

    static var redisURL: String? {
        guard let value = ProcessInfo.processInfo.environment["TRACKHUB_TEST_REDIS_URL"], !value.isEmpty else { return nil }
        return value
    }

    static let postgresSkipReason: Comment = "TRACKHUB_TEST_DATABASE_URL is not set"
    static let redisSkipReason: Comment = "TRACKHUB_TEST_DATABASE_URL and TRACKHUB_TEST_REDIS_URL must both be set"

    static func keyRing(id: String = "k1") -> KeyRing {
        KeyRing(keys: [(id: id, bytes: (0..<32).map { _ in UInt8.random(in: 0...255) })])
    }

    /// Runs `body` with a connection to a fresh, migrated database (dropped afterwards).
    static func withDatabase<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let connection = try PostgresConnection(url, applicationName: "trackhub-config-tests")
            defer { connection.close() }
            try Migrator().migrate(connection)
            return try await body(connection)
        }
    }

    static func redis() throws -> RedisConnection {
        let url = try #require(redisURL)
        return try RedisConnection(endpoint: try #require(RedisEndpoint(url: url)))
    }

    static func layout() -> StreamLayout {
        StreamLayout(prefix: "tcfg" + UUID().uuidString.prefix(8).lowercased())
    }

    /// Deletes every key under the layout's prefix.
    static func cleanUp(_ layout: StreamLayout, _ redis: RedisConnection) {
        guard let keys = try? redis.command(["KEYS", layout.prefix + ":*"]).elements.compactMap(\.text), !keys.isEmpty else { return }
        _ = try? redis.command(["DEL"] + keys)
    }
}

/// A configuration like `config/example.yaml`, built in code so tests can vary it.
struct DemoConfig {
    var pixelToken = "EAAB-demo-token-0001"
    var secrets: [Gateway: [String]] = Dictionary(uniqueKeysWithValues: Gateway.payments.map { ($0, ["whsec-\($0.rawValue)-one"]) })
    var mercadoPagoToken: String? = "APP_USR-mp-token"
    var slugs = ["demo", "bot", "lp"]
    var gateways = Gateway.payments
    var mode = "dry_run"
    var origins = ["http://localhost:3000"]
    var extraPixel = false

    static let pixelID = "1234567890"
    static let otherPixelID = "9876543210"

    var environment: [String: String] {
        var env = ["TH_PIXEL_TOKEN": pixelToken, "TH_OTHER_TOKEN": "EAAB-other-token"]
        for (gateway, values) in secrets {
            for (index, value) in values.enumerated() { env["TH_\(gateway.rawValue.uppercased())_SECRET_\(index)"] = value }
        }
        if let mercadoPagoToken { env["TH_MP_TOKEN"] = mercadoPagoToken }
        return env
    }

    /// Every secret and token value, to look for in Postgres.
    var allSecretValues: [String] {
        [pixelToken, "EAAB-other-token"] + secrets.values.flatMap { $0 } + (mercadoPagoToken.map { [$0] } ?? [])
    }

    func file() throws -> TrackhubConfigFile {
        var pixels = [TrackhubConfigFile.Pixel(
            id: Self.pixelID, tokenEnv: "TH_PIXEL_TOKEN", mode: mode, sendClickAsPageview: true,
            events: ["pageview", "view_content", "lead", "initiate_checkout", "add_payment_info"], isDefault: true)]
        if extraPixel {
            pixels.append(TrackhubConfigFile.Pixel(id: Self.otherPixelID, tokenEnv: "TH_OTHER_TOKEN", mode: "live"))
        }
        let destinations: [String: LinkDestination] = [
            "demo": .hotmart(url: "https://pay.hotmart.com/X00000000X?off=demo", alsoSrc: true),
            "bot": .telegram(bots: [WeightedBot(username: "demo_bot", weight: 3), WeightedBot(username: "demo_backup_bot", weight: 1)]),
            "lp": .generic(url: "https://example.com/landing", parameter: "th_cid"),
            "other": .utm(url: "https://example.com/other"),
        ]
        let links = try slugs.map { slug in
            try TrackhubConfigFile.Link(
                slug: slug, pixel: slug == "other" && extraPixel ? Self.otherPixelID : nil, destination: destinations[slug]!)
        }
        let accounts = gateways.map { gateway in
            let count = secrets[gateway]?.count ?? 0
            return TrackhubConfigFile.GatewayAccount(
                gateway: gateway.rawValue, account: "main",
                secretEnv: count == 1 ? "TH_\(gateway.rawValue.uppercased())_SECRET_0" : nil,
                secretsEnv: count > 1 ? (0..<count).map { "TH_\(gateway.rawValue.uppercased())_SECRET_\($0)" } : nil,
                apiTokenEnv: gateway == .mercadopago && mercadoPagoToken != nil ? "TH_MP_TOKEN" : nil,
                settings: gateway == .mercadopago ? .object(["pending_event": .string("PaymentPending")]) : nil)
        }
        return TrackhubConfigFile(tenants: [TrackhubConfigFile.Tenant(
            id: "demo", name: "Demo Store", defaultCountryCode: "55", defaultCountry: "br", allowedOrigins: origins,
            pixels: pixels, links: links, gatewayAccounts: accounts)])
    }
}
