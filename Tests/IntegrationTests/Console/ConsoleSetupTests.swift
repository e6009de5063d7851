import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrackhubConsole
import TrackhubCore
import TrackhubTesting

/// The setup assistant's steps 1–2 for real: the Graph pixel read and a test event against the
/// fake Meta, each success written through the same apply as `dispatchd apply` as a new
/// version; the diff, the rollback and the YAML export. Real Postgres and Redis.
@Suite("Console: setup assistant", .enabled(if: TestEnvironment.available, "needs scripts/test (Postgres, Redis)"))
struct ConsoleSetupTests {
    static let pixel = "1234567890123"
    static let token = "EAAB-loja-ana-token-5f0e"

    static func loggedIn(_ f: ConsoleFixture, login: String = "dona") async throws -> ConsoleBrowser {
        let browser = ConsoleBrowser(f.client)
        try await browser.get("/login")
        try await browser.post("/login", [("login", login), ("password", "senha-segura-1")])
        try await browser.get("/setup")
        return browser
    }

    /// An owner logged in, with steps 1 and 2 verified for tenant `loja-da-ana` against the fake Meta.
    static func throughTestEvent(_ f: ConsoleFixture) async throws -> ConsoleBrowser {
        try await f.owner()
        f.meta.registerPixel(id: pixel, FakeMetaPixel(name: "Loja da Ana"))
        f.meta.expectToken(pixel: pixel, token: token)
        let browser = try await loggedIn(f)
        try await browser.post("/setup/pixel", [("tenant_name", "Loja da Ana"), ("pixel_id", pixel), ("token", token)])
        try await browser.get("/setup?tenant=loja-da-ana")
        try await browser.post("/setup/test-event", [("tenant", "loja-da-ana"), ("test_code", "TEST4242")])
        return browser
    }

    @Test("step 1 tells each Graph refusal in pt-BR with its code, and keeps the typed pixel id")
    func pixelProblems() async throws {
        try await ConsoleFixture.run { f in
            try await f.owner()
            f.meta.registerPixel(id: Self.pixel, FakeMetaPixel(name: "Loja da Ana"))
            f.meta.expectToken(pixel: Self.pixel, token: Self.token)
            f.meta.expectToken(pixel: "777", token: "EAAB-someone-else")
            let browser = try await Self.loggedIn(f)
            let fields: (String) -> [(String, String)] = { token in
                [("tenant_name", "Loja da Ana"), ("pixel_id", Self.pixel), ("token", token)]
            }
            let garbage = try await browser.post("/setup/pixel", fields("EAAB-cortado"))
            #expect(garbage.status == .unprocessableContent)
            #expect(browser.lastBody.contains("O Meta não reconheceu este token") && browser.lastBody.contains("(código 190)"))
            #expect(browser.lastBody.contains(#"value="1234567890123""#), "the typed pixel id is kept")
            #expect(!browser.lastBody.contains("EAAB-cortado"), "a token is never echoed back")

            try await browser.post("/setup/pixel", fields("EAAB-someone-else"))
            #expect(browser.lastBody.contains("Este token não tem acesso a este pixel") && browser.lastBody.contains("(código 100/33)"))

            f.meta.expireToken(Self.token)
            try await browser.post("/setup/pixel", fields(Self.token))
            #expect(browser.lastBody.contains("O token expirou") && browser.lastBody.contains("(código 190/463)"))
            #expect(try f.value("SELECT count(*) FROM setup_action_logs WHERE action = 'graph.pixel_read'") == "3")
            #expect(try f.value("SELECT count(*) FROM pixels") == "0", "nothing is configured on a failed check")
            try await browser.post("/setup/pixel", [("tenant_name", "Loja da Ana"), ("pixel_id", "12ab"), ("token", "x")])
            #expect(browser.lastBody.contains("O ID do pixel tem só números"))
        }
    }

    @Test("steps 1 and 2 verified for real, applied, versioned; diff, rollback and export")
    func pixelAndTestEvent() async throws {
        try await ConsoleFixture.run { f in
            try await f.owner()
            f.meta.registerPixel(id: Self.pixel, FakeMetaPixel(name: "Loja da Ana"))
            f.meta.expectToken(pixel: Self.pixel, token: Self.token)
            let browser = try await Self.loggedIn(f)

            let step1 = try await browser.post("/setup/pixel", [("tenant_name", "Loja da Ana"), ("pixel_id", Self.pixel), ("token", Self.token)])
            #expect(step1.status == .seeOther && step1.headers[.location] == "/setup?tenant=loja-da-ana")
            try await browser.get("/setup?tenant=loja-da-ana")
            #expect(browser.lastBody.contains("Pixel Loja da Ana (ID 1234567890123) encontrado. Token válido."))
            #expect(browser.lastBody.contains(#"data-testid="step-test-event""#))
            #expect(try f.value("SELECT mode FROM pixels WHERE id = $1", [.string(Self.pixel)]) == "dry_run")
            let sealed = try #require(try f.value("SELECT access_token_ciphertext FROM pixels WHERE id = $1", [.string(Self.pixel)]))
            #expect(!sealed.contains(Self.token) && sealed.hasPrefix("v2."))
            #expect(try f.value("SELECT count(*) FROM config_versions WHERE tenant_id = 'loja-da-ana'") == "1")
            #expect(try f.value("SELECT document::text FROM config_versions")?.contains(Self.token) == false)

            let step2 = try await browser.post("/setup/test-event", [("tenant", "loja-da-ana"), ("test_code", "TEST4242")])
            #expect(step2.status == .seeOther)
            let sent = f.meta.acceptedEvents()
            #expect(sent.count == 1 && f.meta.requests().last?.testEventCode == "TEST4242")
            try await browser.get("/setup?tenant=loja-da-ana")
            let trace = try #require(f.meta.requests().last?.fbtraceID)
            #expect(browser.lastBody.contains("O Meta recebeu 1 evento(s) (fbtrace_id \(trace))"))
            #expect(try f.value("SELECT mode || ':' || test_event_code FROM pixels WHERE id = $1", [.string(Self.pixel)]) == "test:TEST4242")
            #expect(try f.value("SELECT count(*) FROM config_audit WHERE action = 'config.apply'") == "2")

            // History: the diff of version 2 shows the mode change; rollback to 1 applies it again.
            let first = try #require(try f.value("SELECT min(id) FROM config_versions"))
            let second = try #require(try f.value("SELECT max(id) FROM config_versions"))
            try await browser.get("/settings/versions?tenant=loja-da-ana")
            #expect(browser.lastBody.contains("Pixel 1234567890123 em modo teste com o código TEST4242"))
            try await browser.get("/settings/versions/\(second)?tenant=loja-da-ana")
            #expect(browser.lastBody.contains("+ ") && browser.lastBody.contains("mode: test") && browser.lastBody.contains("- "))
            try await browser.get("/settings/versions?tenant=loja-da-ana")
            let back = try await browser.post("/settings/versions/\(first)/rollback", [("tenant", "loja-da-ana")])
            #expect(back.status == .seeOther)
            #expect(try f.value("SELECT mode FROM pixels WHERE id = $1", [.string(Self.pixel)]) == "dry_run")
            #expect(try f.value("SELECT count(*) FROM config_versions WHERE rollback_of = $1", [.int(Int(first)!)]) == "1")
            #expect(try f.value("SELECT count(*) FROM config_audit WHERE action = 'config.rollback'") == "1")

            let export = try await browser.get("/settings/export?tenant=loja-da-ana")
            let yaml = String(buffer: export.body)
            #expect(export.status == .ok && yaml.contains("token_env: TH_PIXEL_1234567890123_TOKEN") && !yaml.contains(Self.token))
            let reparsed = try TrackhubConfigFile.parse(yaml: yaml)
            #expect(reparsed.tenants.first?.pixels.first?.mode == "dry_run")
        }
    }

    @Test("a viewer sees the assistant but may not change anything; other tenants' versions are refused")
    func permissions() async throws {
        try await ConsoleFixture.run { f in
            try f.sql("INSERT INTO tenants (id, name) VALUES ('loja-a', 'Loja A'), ('loja-b', 'Loja B')")
            try await f.store.createUser(login: "vera", displayName: "", password: "senha-segura-1", role: .viewer,
                                         allTenants: false, tenants: ["loja-a"], actor: "test")
            let viewer = try await Self.loggedIn(f, login: "vera")
            #expect(viewer.lastBody.contains(#"data-testid="setup-readonly""#))
            let refused = try await viewer.post("/setup/pixel", [("tenant", "loja-a"), ("pixel_id", Self.pixel), ("token", Self.token)])
            #expect(refused.status == .forbidden)
            #expect(try await viewer.get("/settings/versions?tenant=loja-b").status == .forbidden)
            #expect(try f.value("SELECT count(*) FROM setup_action_logs") == "0", "nothing was checked for a refused user")

            // An owner of several clients picks one (or a new one) before step 1.
            try await f.owner()
            let owner = try await Self.loggedIn(f)
            #expect(owner.lastBody.contains(#"data-testid="setup-tenant-picker""#) && owner.lastBody.contains("Novo cliente"))
            #expect(owner.lastBody.contains(#"<option value="loja-b">Loja B</option>"#))
            try await owner.get("/setup?tenant=loja-a")
            #expect(owner.lastBody.contains(#"name="tenant" value="loja-a""#) && !owner.lastBody.contains(#"name="tenant_name""#))
        }
    }
}
