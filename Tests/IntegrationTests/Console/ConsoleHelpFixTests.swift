import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrackhubConsole
import TrackhubCore
import TrackhubTesting

/// The help chat applies the fixes it proposes and undoes them, through the console's routes
/// (real Postgres and Redis, the fake Meta for the Graph read): each apply is a new audited
/// version written like `dispatchd apply`, each undo puts the version before it back, a stale
/// undo is refused, a token is replaced only after Graph read the pixel with it, and a viewer
/// is offered links only.
@Suite("Console: help chat fixes", .serialized, .enabled(if: TestEnvironment.available, "needs scripts/test (Postgres, Redis)"))
struct ConsoleHelpFixTests {
    static let pixel = ConsoleSetupTests.pixel
    static let tenant = "loja-da-ana"

    static func versions(_ f: ConsoleFixture) throws -> Int {
        Int(try f.value("SELECT count(*) FROM config_versions WHERE tenant_id = $1", [.string(tenant)]) ?? "") ?? -1
    }

    static func mode(_ f: ConsoleFixture) throws -> String? {
        try f.value("SELECT mode || ':' || coalesce(test_event_code, '-') FROM pixels WHERE id = $1", [.string(pixel)])
    }

    @Test("'minhas vendas não aparecem': the pixel in test is switched to live from the chat, audited, then undone back to test with its code; an undo after a later change is refused")
    func liveAndUndo() async throws {
        try await ConsoleFixture.run { f in
            let browser = try await ConsoleSetupTests.throughTestEvent(f)
            #expect(try Self.mode(f) == "test:TEST4242")
            try await browser.get("/help")
            try await browser.post("/help", [("topic", "sales_not_reaching_meta")])
            #expect(browser.lastBody.contains(#"data-testid="help-fix-live""#), "the switch is offered as a button in the chat")
            let before = try Self.versions(f)

            let applied = try await browser.post("/help/fix", [("action", "live"), ("tenant", Self.tenant), ("pixel", Self.pixel)])
            #expect(applied.status == .ok)
            #expect(browser.lastBody.contains("Pronto: o pixel \(Self.pixel) está em modo real"))
            #expect(try Self.mode(f) == "live:-")
            #expect(try Self.versions(f) == before + 1)
            #expect(try f.value("SELECT action || ' ' || summary FROM config_audit ORDER BY id DESC LIMIT 1")
                    == "config.apply Assistente (Ajuda): pixel \(Self.pixel) ativado em modo real")
            let version = try #require(browser.lastBody.firstMatch(#"name="version" value="([0-9]+)""#))

            let again = try await browser.post("/help/fix", [("action", "live"), ("tenant", Self.tenant), ("pixel", Self.pixel)])
            #expect(again.status == .unprocessableContent && browser.lastBody.contains("já está em modo real"))
            #expect(try Self.versions(f) == before + 1, "nothing written when nothing changes")

            let undone = try await browser.post("/help/undo", [("tenant", Self.tenant), ("version", version)])
            #expect(undone.status == .ok && browser.lastBody.contains("Desfeito: a versão \(version) foi revertida"))
            #expect(try Self.mode(f) == "test:TEST4242", "the undo restores the mode and the test code")
            #expect(try f.value("SELECT rollback_of::text FROM config_versions ORDER BY id DESC LIMIT 1") == String(Int(version)! - 1))

            let stale = try await browser.post("/help/undo", [("tenant", Self.tenant), ("version", version)])
            #expect(stale.status == .conflict && browser.lastBody.contains("Não desfiz: a configuração mudou depois da versão \(version)"))
            #expect(try Self.mode(f) == "test:TEST4242")
        }
    }

    @Test("'o token expirou': Meta's 190/463 on the pixel proposes a token field; a token Graph refuses is said in pt-BR and changes nothing; a good one is checked, applied and undone; a viewer gets links and a 403")
    func tokenReplaceAndViewer() async throws {
        try await ConsoleFixture.run { f in
            let browser = try await ConsoleSetupTests.throughTestEvent(f)
            let pg = try PostgresConnection(f.databaseURL, applicationName: "help-fix-test")
            defer { pg.close() }
            let refused = OutboundEvent(pixel: Self.pixel, envelopeID: "e-1",
                                        event: CAPIEvent(eventName: .purchase, eventDate: Date(), eventId: "hotmart.HP-1", actionSource: .website,
                                                         userData: CAPIUserData(fbp: "fb.1.1796000000000.7")))
            try DispatchStore().appendLedger([LedgerEntry(event: refused, attempt: 1, outcome: .parked, httpStatus: 400, metaCode: 190,
                                                          metaSubcode: 463, metaMessage: "Session has expired")], connection: pg)
            try await browser.get("/help")
            try await browser.post("/help", [("topic", "token_expired")])
            #expect(browser.lastBody.contains(#"data-testid="help-fix-token-input""#))
            let secrets = "SELECT document->'secrets' FROM config_versions WHERE tenant_id = 'loja-da-ana' ORDER BY id DESC LIMIT 1"
            let sealedBefore = try f.value(secrets)
            let before = try Self.versions(f)

            let wrong = try await browser.post("/help/fix", [("action", "token"), ("tenant", Self.tenant), ("pixel", Self.pixel),
                                                             ("token", "EAAB-colado-errado")])
            #expect(wrong.status == .unprocessableContent && browser.lastBody.contains("O Meta não reconheceu este token"))
            #expect(!browser.lastBody.contains("EAAB-colado-errado"), "a token is never echoed back")
            #expect(browser.lastBody.contains(#"data-testid="help-fix-token-input""#), "the field is offered again")
            #expect(try Self.versions(f) == before && (try f.value(secrets)) == sealedBefore)

            let fresh = "EAAB-loja-ana-token-novo-77"
            f.meta.expectToken(pixel: Self.pixel, token: fresh)
            let good = try await browser.post("/help/fix", [("action", "token"), ("tenant", Self.tenant), ("pixel", Self.pixel), ("token", fresh)])
            #expect(good.status == .ok && browser.lastBody.contains("Pronto: o token do pixel \(Self.pixel) (Loja da Ana) foi conferido no Meta"))
            #expect(try Self.versions(f) == before + 1 && (try f.value(secrets)) != sealedBefore)
            #expect(try f.value("SELECT count(*) FROM config_versions WHERE document::text LIKE $1", [.string("%" + fresh + "%")]) == "0",
                    "the token is stored sealed only")
            let version = try #require(browser.lastBody.firstMatch(#"name="version" value="([0-9]+)""#))
            try await browser.post("/help/undo", [("tenant", Self.tenant), ("version", version)])
            #expect(browser.lastBody.contains("Desfeito"))
            #expect(try f.value(secrets) == sealedBefore, "the undo puts the earlier sealed token back")

            try await f.store.createUser(login: "vera", displayName: "Vera", password: "senha-segura-1", role: .viewer, allTenants: false,
                                         tenants: [Self.tenant], actor: "test")
            let viewer = try await ConsoleSetupTests.loggedIn(f, login: "vera")
            try await viewer.get("/help")
            try await viewer.post("/help", [("topic", "token_expired")])
            #expect(viewer.lastBody.contains(#"data-testid="help-fix""#) && !viewer.lastBody.contains("help-fix-token-input"))
            #expect(try await viewer.post("/help/fix", [("action", "live"), ("tenant", Self.tenant), ("pixel", Self.pixel)]).status == .forbidden)
            #expect(try await viewer.post("/help/undo", [("tenant", Self.tenant), ("version", version)]).status == .forbidden)
        }
    }
}
