import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrackhubConsole
import TrackhubCore

/// The console's login, first owner, sessions and CSRF over real Postgres.
@Suite("Console: auth, first owner, CSRF", .enabled(if: PostgresTestEnvironment.isConfigured, PostgresTestEnvironment.skipReason))
struct ConsoleAuthTests {
    @Test("the first owner is created once with the one-time setup token, and is logged in")
    func firstOwner() async throws {
        try await ConsoleFixture.run { f in
            let token = try #require(try await f.store.issueSetupTokenIfNoUsers())
            let browser = ConsoleBrowser(f.client)
            #expect(try await browser.get("/").headers[.location] == "/login")
            #expect(try await browser.get("/login").headers[.location] == "/welcome")
            #expect(try await browser.get("/welcome").status == .ok)
            #expect(browser.cookies["th_pre"]?.count == 64, "a pre-session CSRF cookie for the form")

            let wrong = try await browser.post("/welcome", [("setup_token", "nope"), ("login", "Dona"), ("name", "Dona Ana"),
                                                            ("password", "senha-segura-1"), ("password_again", "senha-segura-1")])
            #expect(wrong.status == .forbidden)
            let short = try await browser.post("/welcome", [("setup_token", token), ("login", "dona"), ("password", "curta"),
                                                            ("password_again", "curta")])
            #expect(short.status == .badRequest)
            let created = try await browser.post("/welcome", [("setup_token", token), ("login", "Dona"), ("name", "Dona Ana"),
                                                              ("password", "senha-segura-1"), ("password_again", "senha-segura-1")])
            #expect(created.status == .seeOther && created.headers[.location] == "/")
            let cookie = try #require(browser.setCookieHeaders(created).first { $0.hasPrefix("th_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))
            let home = try await browser.get("/")
            #expect(home.status == .ok && browser.lastBody.contains("Dona Ana"))
            #expect(browser.lastBody.contains(#"data-testid="status-line" data-level="start""#))

            // The token is spent: a second owner cannot be made with it, and /welcome leads to the login.
            #expect(try await f.store.createFirstOwner(setupToken: token, login: "x", displayName: "", password: "senha-segura-2") == nil)
            #expect(try await ConsoleBrowser(f.client).get("/welcome").headers[.location] == "/login")
            #expect(try await f.store.issueSetupTokenIfNoUsers() == nil)
        }
    }

    @Test("login: wrong password refused, then rate-limited even with the right one; logout ends the session")
    func loginAndThrottle() async throws {
        try await ConsoleFixture.run { f in
            try await f.owner()
            let browser = ConsoleBrowser(f.client)
            try await browser.get("/login")
            let bad = try await browser.post("/login", [("login", "dona"), ("password", "errada")])
            #expect(bad.status == .unauthorized && browser.lastBody.contains("Usuário ou senha incorretos."))
            let good = try await browser.post("/login", [("login", "dona"), ("password", "senha-segura-1"), ("next", "/?tenant=x")])
            #expect(good.status == .seeOther && good.headers[.location] == "/?tenant=x")
            let session = try #require(browser.cookies["th_session"])
            #expect(try await f.store.session(token: session)?.user.login == "dona")

            // Logout needs the session's CSRF token.
            try await browser.get("/login?next=//evil.example")
            try await browser.get("/")
            #expect(try await browser.post("/logout", [], csrf: "").status == .forbidden)
            #expect(try await browser.post("/logout", []).headers[.location] == "/login")
            #expect(try await f.store.session(token: session) == nil)

            // Five failures lock the login name for everyone, the right password included.
            let attacker = ConsoleBrowser(f.client)
            try await attacker.get("/login")
            for _ in 0..<5 { try await attacker.post("/login", [("login", "dona"), ("password", "chute")]) }
            let locked = try await attacker.post("/login", [("login", "dona"), ("password", "senha-segura-1")])
            #expect(locked.status == .tooManyRequests && locked.headers[.retryAfter] != nil)
            #expect(attacker.cookies["th_session"] == nil)
        }
    }

    @Test("a POST without the right CSRF token is refused, before and after login")
    func csrf() async throws {
        try await ConsoleFixture.run { f in
            try await f.owner()
            let browser = ConsoleBrowser(f.client)
            try await browser.get("/login")
            #expect(try await browser.post("/login", [("login", "dona"), ("password", "senha-segura-1")], csrf: "").status == .forbidden)
            #expect(try await browser.post("/login", [("login", "dona"), ("password", "senha-segura-1")],
                                           csrf: String(repeating: "a", count: 64)).status == .forbidden)
            // A cross-site page has no cookie at all: refused too.
            let stranger = ConsoleBrowser(f.client)
            #expect(try await stranger.post("/login", [("login", "dona"), ("password", "senha-segura-1")],
                                            csrf: String(repeating: "b", count: 64)).status == .forbidden)
            #expect(try await browser.post("/login", [("login", "dona"), ("password", "senha-segura-1")]).status == .seeOther)
            try await browser.get("/")
            #expect(try await browser.post("/language", [("lang", "en"), ("back", "/")], csrf: "").status == .forbidden)
        }
    }

    @Test("https public URL makes the session cookie Secure; the language switch turns pages English")
    func secureCookieAndLanguage() async throws {
        try await ConsoleFixture.run(configuration: ConsoleConfiguration(publicURL: "https://painel.example.com")) { f in
            try await f.owner()
            let browser = ConsoleBrowser(f.client)
            try await browser.get("/login")
            #expect(browser.lastBody.contains("Entrar no Trackhub") && browser.lastBody.contains(#"<html lang="pt-BR">"#))
            let login = try await browser.post("/login", [("login", "dona"), ("password", "senha-segura-1")])
            #expect(browser.setCookieHeaders(login).contains { $0.hasPrefix("th_session=") && $0.contains("Secure") })
            try await browser.get("/")
            #expect(try await browser.post("/language", [("lang", "en"), ("back", "/")]).headers[.location] == "/")
            try await browser.get("/")
            #expect(browser.lastBody.contains("Let&#39;s start") && browser.lastBody.contains(#"<html lang="en">"#))
        }
    }
}
