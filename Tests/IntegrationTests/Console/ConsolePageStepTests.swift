import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Testing
import TrackhubConsole
import TrackhubCore
import TrackhubTesting

/// Setup steps 5 and 6 over real HTTP: the landing-page check fetches a local fixture server with
/// libcurl (loopback allowed only because this console's configuration says so), and going live
/// writes a new configuration version through the same apply as `dispatchd apply`.
@Suite("Console: setup steps 5 (page) and 6 (go live)", .enabled(if: TestEnvironment.available, "needs scripts/test (Postgres, Redis)"))
struct ConsolePageStepTests {
    @Test("the real fetcher refuses loopback by default, by name and by literal, and fetches it only when allowed")
    func loopbackPolicy() async throws {
        let logger = Logger(label: "page-fetch-test")
        let http = try CurlClientPool(size: 1)
        try await ServiceGroup.withRunning([http], logger: logger) {
            try await LandingFixtureServer.withServer(trackhub: "https://track.loja.test") { base in
                let fetcher = CurlPageFetcher(http: http)
                let closed = PageFetchPolicy()
                #expect(await fetcher.fetch(base + "/lp", policy: closed) == .refused(.loopback))
                let byName = base.replacingOccurrences(of: "127.0.0.1", with: "localhost") + "/lp"
                #expect(await fetcher.fetch(byName, policy: closed) == .refused(.loopback))
                #expect(await fetcher.fetch("http://169.254.169.254/latest/meta-data/", policy: closed) == .refused(.linkLocal))
                #expect(await fetcher.fetch("http://nao-existe.invalid/", policy: closed) == .refused(.unresolved))

                let open = PageFetchPolicy(allowLoopback: true)
                guard case .response(let status, _, let body, false) = await fetcher.fetch(base + "/lp", policy: open) else {
                    Issue.record("the fixture page was not fetched")
                    return
                }
                #expect(status == 200 && String(decoding: body, as: UTF8.self).contains("Comprar"))
                #expect(await fetcher.fetch("http://10.1.2.3/", policy: open) == .refused(.privateNetwork), "loopback only, not private")
                let redirect = await fetcher.fetch(base + "/antiga?th_cid=x", policy: open)
                #expect(redirect == .response(status: 302, location: "/lp", body: [], truncated: false), "redirects are not followed")
                let small = PageFetchPolicy(allowLoopback: true, maxBodyBytes: 100)
                guard case .response(200, _, let cut, true) = await fetcher.fetch(base + "/lp", policy: small) else {
                    Issue.record("a page over the cap is cut, not failed")
                    return
                }
                #expect(cut.count <= 100)
            }
        }
    }

    @Test("step 5 reports each landing page outcome in pt-BR; step 6 goes live behind confirmation, versioned, rollback-able")
    func pageAndLive() async throws {
        try await LandingFixtureServer.withServer(trackhub: "https://track.loja.test") { base in
            var configuration = ConsoleFixture.testConfiguration()
            configuration.ingestURL = "https://track.loja.test"
            configuration.pageFetch = PageFetchPolicy(allowLoopback: true)
            try await ConsoleFixture.run(configuration: configuration) { f in
                let browser = try await ConsoleSetupTests.throughTestEvent(f)
                // Steps 3 and 4 have their own tests (a real ingestd); here the session is planted past them.
                try f.sql("""
                    UPDATE setup_sessions SET state = state || '{"gateway":"hotmart","gatewayAccount":"loja-da-ana","gatewaySecretAt":1,
                    "gatewayVerifiedAt":2,"linkSlug":"loja-da-ana-lp","linkAt":3}'::jsonb WHERE tenant_id = 'loja-da-ana'
                    """)
                try await browser.get("/setup?tenant=loja-da-ana")
                #expect(browser.lastBody.contains(#"data-testid="step-page""#) && !browser.lastBody.contains(#"data-testid="step-live""#))

                func check(_ url: String) async throws -> String {
                    let response = try await browser.post("/setup/page", [("tenant", "loja-da-ana"), ("url", url)])
                    #expect(response.status == .seeOther, "\(url)")
                    try await browser.get("/setup?tenant=loja-da-ana&step=page")
                    return browser.lastBody
                }

                var page = try await check(base + "/antiga")
                #expect(page.contains(#"data-outcome="click_lost""#))
                #expect(page.contains("O identificador do clique se perdeu no redirecionamento de 127.0.0.1/antiga para 127.0.0.1/lp."), "\(page)")
                #expect(page.contains("manter tudo o que vem depois do “?”"))

                page = try await check(base + "/lp-sem-script")
                #expect(page.contains(#"data-outcome="script_missing""#) && page.contains("o /t.js não está nessa página"))
                #expect(page.contains("&lt;script src=&quot;https://track.loja.test/t.js&quot; data-tenant=&quot;loja-da-ana&quot; defer&gt;&lt;/script&gt;"))

                page = try await check(base + "/ciclo")
                #expect(page.contains(#"data-outcome="too_many_redirects""#) && page.contains("ciclo de redirecionamentos"))
                page = try await check(base + "/quebrada")
                #expect(page.contains(#"data-outcome="http_error""#) && page.contains("respondeu com erro 500"))
                page = try await check("http://10.0.0.7/lp")
                #expect(page.contains(#"data-outcome="refused""#) && page.contains("aponta para uma rede interna"))

                let bad = try await browser.post("/setup/page", [("tenant", "loja-da-ana"), ("url", "javascript:alert(1)")])
                #expect(bad.status == .unprocessableContent && browser.lastBody.contains("não parece o endereço de uma página"))
                #expect(browser.lastBody.contains(#"value="javascript:alert(1)""#), "what was typed is kept")
                #expect(try f.value("SELECT count(*) FROM setup_action_logs WHERE action = 'page.check'") == "5")

                // A URL with markup in it is shown as text wherever it appears (typed value, hops).
                let raw = base + #"/mantem?x="><script>alert(1)</script>"#
                let typed = try await browser.post("/setup/page", [("tenant", "loja-da-ana"), ("url", raw)])
                if typed.status == .seeOther { try await browser.get("/setup?tenant=loja-da-ana&step=page") }
                #expect(!browser.lastBody.contains("<script>alert(1)") && browser.lastBody.contains("&lt;script&gt;alert(1)"))

                page = try await check(base + "/mantem?x=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
                #expect(page.contains(#"data-outcome="ready""#), "the query kept through the redirect")
                #expect(!page.contains("<script>alert(1)"))
                #expect(page.contains("Seguimos o link com um fbclid de teste: o clique chegou à página e o /t.js está instalado."))
                #expect(page.contains("O /t.js vai marcar com o clique: 1 link(s) da Hotmart (em sck)."))
                #expect(page.contains(#"data-testid="step-live""#), "a passed check opens step 6")

                // Step 6: the summary, then the switch behind the confirmation.
                #expect(page.contains("Loja da Ana (ID \(ConsoleSetupTests.pixel))") && page.contains(#"<strong data-testid="live-mode">teste</strong>"#))
                let unconfirmed = try await browser.post("/setup/live", [("tenant", "loja-da-ana")])
                #expect(unconfirmed.status == .unprocessableContent && browser.lastBody.contains("marque a caixa"))
                #expect(try f.value("SELECT mode FROM pixels WHERE id = $1", [.string(ConsoleSetupTests.pixel)]) == "test")

                try await f.store.createUser(login: "vera", displayName: "", password: "senha-segura-1", role: .viewer,
                                             allTenants: false, tenants: ["loja-da-ana"], actor: "test")
                let viewer = try await ConsoleSetupTests.loggedIn(f, login: "vera")
                try await viewer.get("/setup?tenant=loja-da-ana")
                #expect(!viewer.lastBody.contains(#"data-testid="live-submit""#))
                let refused = try await viewer.post("/setup/live", [("tenant", "loja-da-ana"), ("confirm", "yes")])
                #expect(refused.status == .forbidden)
                #expect(try f.value("SELECT mode FROM pixels WHERE id = $1", [.string(ConsoleSetupTests.pixel)]) == "test")

                try await browser.get("/setup?tenant=loja-da-ana")
                let live = try await browser.post("/setup/live", [("tenant", "loja-da-ana"), ("confirm", "yes")])
                #expect(live.status == .seeOther)
                #expect(try f.value("SELECT mode || ':' || coalesce(test_event_code, '-') FROM pixels WHERE id = $1",
                                    [.string(ConsoleSetupTests.pixel)]) == "live:-")
                #expect(try f.value("SELECT note FROM config_versions ORDER BY id DESC LIMIT 1") == "Pixel \(ConsoleSetupTests.pixel) ativado: eventos ao vivo")
                #expect(try f.value("SELECT count(*) FROM config_audit WHERE action = 'config.apply' AND summary LIKE '%ativado%'") == "1")
                #expect(try f.value("SELECT count(*) FROM setup_action_logs WHERE action = 'pixel.live' AND outcome = 'applied'") == "1")
                try await browser.get("/setup?tenant=loja-da-ana")
                #expect(browser.lastBody.contains(#"data-testid="live-state""#) && !browser.lastBody.contains(#"data-testid="live-submit""#))
                #expect(browser.lastBody.contains(#"<li class="done"><span>6</span>"#))

                // The version's diff shows the switch; rolling back puts the pixel in test again.
                let liveVersion = try #require(try f.value("SELECT max(id) FROM config_versions"))
                try await browser.get("/settings/versions/\(liveVersion)?tenant=loja-da-ana")
                #expect(browser.lastBody.contains("mode: live") && browser.lastBody.contains("mode: test"))
                let previous = try #require(try f.value("SELECT max(id) FROM config_versions WHERE id < $1", [.int(Int(liveVersion)!)]))
                try await browser.get("/settings/versions?tenant=loja-da-ana")
                let back = try await browser.post("/settings/versions/\(previous)/rollback", [("tenant", "loja-da-ana")])
                #expect(back.status == .seeOther)
                #expect(try f.value("SELECT mode || ':' || test_event_code FROM pixels WHERE id = $1", [.string(ConsoleSetupTests.pixel)]) == "test:TEST4242")
                try await browser.get("/setup?tenant=loja-da-ana")
                #expect(browser.lastBody.contains(#"data-testid="live-submit""#), "after the rollback the pixel can go live again")
            }
        }
    }
}
