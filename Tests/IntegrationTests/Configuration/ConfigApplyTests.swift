import Foundation
import Testing
import TrackhubCore

@Suite("dispatchd apply: writing the configuration", .enabled(if: ConfigTestEnvironment.hasPostgres, ConfigTestEnvironment.postgresSkipReason))
struct ConfigurationApplyTests {
    let applier = ConfigApplier()

    @Test("the first apply creates everything; the same file again changes nothing")
    func idempotent() async throws {
        try await ConfigTestEnvironment.withDatabase { conn in
            let keys = ConfigTestEnvironment.keyRing()
            let demo = DemoConfig()
            let first = try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            #expect(first.tenants == .init(created: 1))
            #expect(first.pixels == .init(created: 1))
            #expect(first.links == .init(created: 3))
            #expect(first.gatewayAccounts == .init(created: 6))
            #expect(first.newTokenPixels == [DemoConfig.pixelID])

            let before = try Self.rowDump(conn)
            let second = try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            #expect(second.isUnchanged)
            #expect(second.tenants == .init(unchanged: 1))
            #expect(second.pixels == .init(unchanged: 1))
            #expect(second.links == .init(unchanged: 3))
            #expect(second.gatewayAccounts == .init(unchanged: 6))
            #expect(second.newTokenPixels.isEmpty)
            // Not a single byte rewritten: same ciphertexts, same updated_at.
            #expect(try Self.rowDump(conn) == before)
        }
    }

    @Test("the example file applies, and applies again as a no-op")
    func exampleFile() async throws {
        try await ConfigTestEnvironment.withDatabase { conn in
            let keys = ConfigTestEnvironment.keyRing()
            let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config/example.yaml").path
            let file = try TrackhubConfigFile.load(path: path)
            var env = ["TRACKHUB_DEMO_PIXEL_TOKEN": "demo-token-not-real"]
            for gateway in Gateway.allCases { env["TRACKHUB_DEMO_\(gateway.rawValue.uppercased())_SECRET"] = "secret-\(gateway)" }
            let first = try applier.apply(file, keys: keys, environment: env, connection: conn)
            #expect(first.links.created == 3)
            #expect(first.gatewayAccounts.created == 7, "six payment gateways and the demo bot")
            #expect(first.warnings.count == 1)
            #expect(try applier.apply(file, keys: keys, environment: env, connection: conn).isUnchanged)
        }
    }

    @Test("a link the file no longer lists is deactivated, and comes back when listed again")
    func removedLinkIsDeactivated() async throws {
        try await ConfigTestEnvironment.withDatabase { conn in
            let keys = ConfigTestEnvironment.keyRing()
            var demo = DemoConfig()
            _ = try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)

            demo.slugs = ["demo", "lp"]
            let removed = try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            #expect(removed.links == .init(unchanged: 2, removed: 1))
            #expect(removed.changes.map(\.description) == ["link bot deactivated"])
            let row = try conn.query("SELECT active, deactivated_at FROM links WHERE slug = 'bot'")
            #expect(row.count == 1)
            #expect(try row.bool(0, "active") == false)
            #expect(try row.date(0, "deactivated_at") != nil)

            // Applying again: still removed, not removed again.
            #expect(try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn).isUnchanged)

            demo.slugs = ["demo", "lp", "bot"]
            let back = try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            #expect(back.links == .init(updated: 1, unchanged: 2))
            let again = try conn.query("SELECT active, deactivated_at FROM links WHERE slug = 'bot'")
            #expect(try again.bool(0, "active") == true)
            #expect(try again.isNull(0, "deactivated_at"))
        }
    }

    @Test("a new token is reported, re-sealed (new ciphertext) and opens to the new value; the pause is cleared")
    func tokenChange() async throws {
        try await ConfigTestEnvironment.withDatabase { conn in
            let keys = ConfigTestEnvironment.keyRing()
            var demo = DemoConfig()
            _ = try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            let oldSealed = try #require(try Self.pixelToken(conn))
            try conn.query("UPDATE pixels SET paused_reason = 'token_invalid', paused_at = now()")

            demo.pixelToken = "EAAB-demo-token-0002"
            let report = try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            #expect(report.newTokenPixels == [DemoConfig.pixelID])
            #expect(report.pixels == .init(updated: 1))
            #expect(report.links == .init(unchanged: 3))

            let newSealed = try #require(try Self.pixelToken(conn))
            #expect(newSealed != oldSealed)
            #expect(try keys.openString(Sealed(text: newSealed), for: .pixelToken(tenant: "demo", pixel: DemoConfig.pixelID)) == "EAAB-demo-token-0002")
            let row = try conn.query("SELECT paused_reason, access_token_key_id, token_changed_at FROM pixels")
            #expect(try row.isNull(0, "paused_reason"))
            #expect(try row.string(0, "access_token_key_id") == "k1")
            #expect(try row.date(0, "token_changed_at") != nil)

            // The same new token again: nothing.
            let again = try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            #expect(again.isUnchanged)
            #expect(again.newTokenPixels.isEmpty)
        }
    }

    @Test("gateway secrets: several kept as a sealed list; a changed list is re-sealed, an unchanged one kept as is")
    func secretsRotation() async throws {
        try await ConfigTestEnvironment.withDatabase { conn in
            let keys = ConfigTestEnvironment.keyRing()
            var demo = DemoConfig()
            _ = try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            let stripeBefore = try Self.secrets(conn, "stripe")

            demo.secrets[.hotmart] = ["whsec-hotmart-two", "whsec-hotmart-one"]
            let report = try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            #expect(report.gatewayAccounts == .init(updated: 1, unchanged: 5))
            #expect(report.changes.map(\.description) == ["gateway_account hotmart/main updated"])
            let hotmart = try Self.secrets(conn, "hotmart")
            #expect(try hotmart.map { try keys.openString(Sealed(text: $0), for: .gatewaySecret(tenant: "demo", gateway: "hotmart", account: "main")) }
                == ["whsec-hotmart-two", "whsec-hotmart-one"])
            #expect(try Self.secrets(conn, "stripe") == stripeBefore)
        }
    }

    @Test("pixels and accounts the file drops are deleted; the default pixel can move")
    func removals() async throws {
        try await ConfigTestEnvironment.withDatabase { conn in
            let keys = ConfigTestEnvironment.keyRing()
            var demo = DemoConfig()
            demo.extraPixel = true
            demo.slugs = ["demo", "other"]
            let first = try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            #expect(first.pixels.created == 2)

            // Move the default to the other pixel (and keep it referenced by link "other").
            var file = try demo.file()
            file.tenants[0].pixels[0].isDefault = false
            file.tenants[0].pixels[1].isDefault = true
            let moved = try applier.apply(file, keys: keys, environment: demo.environment, connection: conn)
            #expect(moved.pixels == .init(updated: 2))
            // Link "demo" names no pixel, so it follows the default.
            #expect(moved.links == .init(updated: 1, unchanged: 1))
            let defaults = try conn.query("SELECT id FROM pixels WHERE is_default")
            #expect(try defaults.string(0, "id") == DemoConfig.otherPixelID)

            // Drop the other pixel (the default goes back to the first), link "other", which
            // named it, and every gateway account but stripe.
            file.tenants[0].pixels.removeLast()
            file.tenants[0].pixels[0].isDefault = true
            file.tenants[0].links.removeAll { $0.slug == "other" }
            file.tenants[0].gatewayAccounts.removeAll { $0.gateway != "stripe" }
            let dropped = try applier.apply(file, keys: keys, environment: demo.environment, connection: conn)
            #expect(dropped.pixels == .init(updated: 1, removed: 1))
            #expect(dropped.links == .init(updated: 1, removed: 1))
            #expect(dropped.gatewayAccounts == .init(updated: 1, removed: 5))
            #expect(dropped.newTokenPixels.isEmpty)
            let pixels = try conn.query("SELECT id, is_default FROM pixels")
            #expect(pixels.count == 1)
            #expect(try pixels.string(0, "id") == DemoConfig.pixelID)
            #expect(try pixels.bool(0, "is_default") == true)
            #expect(try conn.query("SELECT 1 FROM gateway_accounts").count == 1)
            // The deactivated link let go of the deleted pixel (a foreign key).
            let other = try conn.query("SELECT pixel_id, active FROM links WHERE slug = 'other'")
            #expect(try other.bool(0, "active") == false)
            #expect(try other.isNull(0, "pixel_id"))
            #expect(try applier.apply(file, keys: keys, environment: demo.environment, connection: conn).isUnchanged)
        }
    }

    @Test("an invalid file writes nothing; plan shows changes without writing them")
    func invalidAndPlan() async throws {
        try await ConfigTestEnvironment.withDatabase { conn in
            let keys = ConfigTestEnvironment.keyRing()
            let demo = DemoConfig()
            var env = demo.environment
            env.removeValue(forKey: "TH_PIXEL_TOKEN")
            do {
                _ = try applier.apply(try demo.file(), keys: keys, environment: env, connection: conn)
                Issue.record("expected ConfigError.invalid")
            } catch ConfigError.invalid(let problems) {
                #expect(problems.filter(\.isError).map(\.description) == ["tenants[0].pixels[0].token_env: variable TH_PIXEL_TOKEN is not set"])
            }
            #expect(try conn.query("SELECT 1 FROM tenants").isEmpty)

            let plan = try applier.plan(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            #expect(plan.links.created == 3)
            #expect(try conn.query("SELECT 1 FROM tenants").isEmpty)
            #expect(try conn.query("SELECT 1 FROM links").isEmpty)
            #expect(!conn.isInTransaction)
        }
    }

    @Test("nothing in Postgres holds a token or secret in clear")
    func noCleartextAtRest() async throws {
        try await ConfigTestEnvironment.withDatabase { conn in
            let keys = ConfigTestEnvironment.keyRing()
            var demo = DemoConfig()
            demo.extraPixel = true
            demo.secrets[.stripe] = ["whsec-stripe-one", "whsec-stripe-two"]
            _ = try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)

            var checked = 0
            for table in ["pixels", "gateway_accounts", "tenants", "links"] {
                let columns = try conn.query(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
                    [.string(table)])
                for c in columns.indices {
                    let column = try #require(try columns.string(c, "column_name"))
                    let values = try conn.query("SELECT \"\(column)\"::text AS v FROM \(table)")
                    for row in values.indices {
                        guard let text = try values.string(row, "v") else { continue }
                        checked += 1
                        for secret in demo.allSecretValues {
                            #expect(!text.contains(secret), "\(table).\(column) holds a secret in clear")
                        }
                    }
                }
            }
            #expect(checked > 50)
            // …and yet every one of them is there, sealed.
            let config = try ConfigRepository.loadDispatchConfig(connection: conn, keys: keys)
            #expect(config.pixel(DemoConfig.pixelID)?.accessToken == demo.pixelToken)
            #expect(config.gatewayAccount(gateway: "mercadopago", account: "main")?.apiToken == demo.mercadoPagoToken)
        }
    }

    @Test("dispatchd's view: tokens opened, defaults and link pixels resolved, description redacted")
    func dispatchConfig() async throws {
        try await ConfigTestEnvironment.withDatabase { conn in
            let keys = ConfigTestEnvironment.keyRing()
            var demo = DemoConfig()
            demo.extraPixel = true
            demo.slugs = ["demo", "bot", "other"]
            _ = try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            let config = try ConfigRepository.loadDispatchConfig(connection: conn, keys: keys)

            let pixel = try #require(config.pixel(DemoConfig.pixelID))
            #expect(pixel.tenant == "demo")
            #expect(pixel.accessToken == demo.pixelToken)
            #expect(pixel.tokenProblem == nil)
            #expect(pixel.mode == .dryRun)
            #expect(pixel.maxEventsPerSecond == 1000)
            #expect(pixel.batchSize == 500)
            #expect(pixel.sendClickAsPageView)
            #expect(pixel.events == ["pageview", "view_content", "lead", "initiate_checkout", "add_payment_info"])
            #expect(pixel.configuredName("initiate_checkout") == "InitiateCheckout")
            #expect(pixel.forwards("lead") && !pixel.forwards("search"))
            #expect(config.tenants["demo"]?.defaultCountryCallingCode == "55")
            #expect(config.tenants["demo"]?.defaultCountry == "br")
            #expect(config.tenants["demo"]?.allowedOrigins == ["http://localhost:3000"])
            #expect(pixel.isDefault)
            let other = try #require(config.pixel(DemoConfig.otherPixelID))
            #expect(other.mode == .live)
            #expect(other.events.count == PixelEventCatalog.metaNames.count)
            #expect(other.sendClickAsPageView == false)

            #expect(config.tenants["demo"]?.defaultPixel == DemoConfig.pixelID)
            #expect(config.links["demo"]?.pixel == DemoConfig.pixelID)
            #expect(config.links["other"]?.pixel == DemoConfig.otherPixelID)
            #expect(config.pixel(forLink: "bot")?.id == DemoConfig.pixelID)
            let mp = try #require(config.gatewayAccount(gateway: "mercadopago", account: "main"))
            #expect(mp.apiToken == demo.mercadoPagoToken)
            #expect(mp.setting("pending_event") == "PaymentPending")
            #expect(mp.pixel == DemoConfig.pixelID)
            #expect(config.gatewayAccounts.count == 6)

            for text in [config.description, config.debugDescription, "\(pixel)"] {
                for secret in demo.allSecretValues { #expect(!text.contains(secret)) }
            }

            // A key ring without the sealing key: the load still works, the token is reported missing.
            let stranger = try ConfigRepository.loadDispatchConfig(connection: conn, keys: ConfigTestEnvironment.keyRing(id: "k9"))
            #expect(stranger.pixel(DemoConfig.pixelID)?.accessToken.isEmpty == true)
            #expect(stranger.pixel(DemoConfig.pixelID)?.tokenProblem?.contains("k1") == true)
        }
    }

    @Test("a token sealed under a key the ring no longer has is re-sealed and reported new")
    func unreadableStoredToken() async throws {
        try await ConfigTestEnvironment.withDatabase { conn in
            let demo = DemoConfig()
            _ = try applier.apply(try demo.file(), keys: ConfigTestEnvironment.keyRing(id: "old"), environment: demo.environment, connection: conn)
            let keys = ConfigTestEnvironment.keyRing(id: "new")
            let report = try applier.apply(try demo.file(), keys: keys, environment: demo.environment, connection: conn)
            #expect(report.newTokenPixels == [DemoConfig.pixelID])
            #expect(report.gatewayAccounts.updated == 6)
            let config = try ConfigRepository.loadDispatchConfig(connection: conn, keys: keys)
            #expect(config.pixel(DemoConfig.pixelID)?.accessToken == demo.pixelToken)
        }
    }

    // MARK: - Helpers

    static func pixelToken(_ conn: PostgresConnection) throws -> String? {
        try conn.query("SELECT access_token_ciphertext FROM pixels WHERE id = $1", [.string(DemoConfig.pixelID)]).string(0, 0)
    }

    static func secrets(_ conn: PostgresConnection, _ gateway: String) throws -> [String] {
        let text = try #require(try conn.query(
            "SELECT secrets::text AS s FROM gateway_accounts WHERE gateway = $1", [.string(gateway)]).string(0, "s"))
        return try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    /// Every configuration row as text, to prove a no-op apply rewrote nothing.
    static func rowDump(_ conn: PostgresConnection) throws -> [String] {
        var out: [String] = []
        for table in ["tenants", "pixels", "links", "gateway_accounts"] {
            let rows = try conn.query("SELECT t::text AS r FROM \(table) t ORDER BY 1")
            out += try rows.indices.map { try rows.string($0, "r") ?? "" }
        }
        return out
    }
}
