import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrackhubConsole
import TrackhubCore
import TrackhubTesting

/// Setup step 3 end to end: the console saves the gateway secret through the tenant's
/// configuration (sealed, versioned, published), a real ingestd loads that snapshot, and the
/// gateway's deliveries — one with the wrong secret, then a signed one — are what turn the step
/// to "a assinatura não confere" and then green. Real Postgres, Redis and ingestd.
@Suite("Console: setup step 3 (gateway)", .enabled(if: TestEnvironment.available, "needs scripts/test (Postgres, Redis)"))
struct ConsoleGatewayStepTests {
    static let secret = "hottok-loja-ana-9d1c"

    @Test("the secret is applied sealed; a wrongly signed delivery says so; a signed one turns the step green")
    func hotmartTestDelivery() async throws {
        let ingest = try IngestFixture(name: "setup-gw")
        var configuration = ConsoleFixture.testConfiguration()
        configuration.streamPrefix = ingest.layout.prefix
        configuration.ingestURL = "https://track.loja.test/"
        try await ConsoleFixture.run(configuration: configuration, keys: ingest.keys) { f in
            let browser = try await ConsoleSetupTests.throughTestEvent(f)

            // Step 3 offers the six gateways; picking Hotmart shows its URL and menu path.
            try await browser.get("/setup?tenant=loja-da-ana")
            #expect(browser.lastBody.contains(#"data-testid="step-gateway""#))
            for name in ["Hotmart", "Kiwify", "Eduzz", "Monetizze", "Mercado Pago", "Stripe"] { #expect(browser.lastBody.contains(name)) }
            try await browser.get("/setup?tenant=loja-da-ana&gateway=hotmart")
            #expect(browser.lastBody.contains("https://track.loja.test/webhooks/hotmart/loja-da-ana"))
            #expect(browser.lastBody.contains("Ferramentas → Webhook (API e notificações)") && browser.lastBody.contains("hottok"))

            #expect(browser.lastBody.contains(#"data-testid="gateway-hotmart""#))
            let short = try await browser.post("/setup/gateway", [("tenant", "loja-da-ana"), ("gateway", "hotmart"), ("secret", "com espaço")])
            #expect(short.status == .unprocessableContent && browser.lastBody.contains("Cole o segredo exatamente"))
            let saved = try await browser.post("/setup/gateway", [("tenant", "loja-da-ana"), ("gateway", "hotmart"), ("secret", Self.secret)])
            #expect(saved.status == .seeOther)
            #expect(try f.value("SELECT count(*) FROM gateway_accounts WHERE gateway = 'hotmart' AND account = 'loja-da-ana' AND tenant_id = 'loja-da-ana'") == "1")
            let document = try #require(try f.value("SELECT document::text FROM config_versions ORDER BY id DESC LIMIT 1"))
            #expect(document.contains("TH_HOTMART_LOJA_DA_ANA_SECRET") && !document.contains(Self.secret))
            #expect(try f.value("SELECT count(*) FROM config_audit WHERE action = 'config.apply'") == "3")
            try await browser.get("/setup?tenant=loja-da-ana")
            #expect(browser.lastBody.contains("Aguardando o webhook de teste da Hotmart") && !browser.lastBody.contains(Self.secret))

            // ingestd serves the snapshot the console published.
            try await ingest.start(publish: false)
            defer { Task { await ingest.stop() } }
            let wrong = GatewaySamples.signed(.hotmart, transaction: "TESTE-1", secret: "hottok-errado")
            let target = wrong.target.replacingOccurrences(of: "/main", with: "/loja-da-ana")
            let refused = try await RawHTTP.request(port: ingest.port, method: "POST", target: target, headers: wrong.headers, body: wrong.body)
            #expect(refused.status == 401)
            let status1 = try await browser.get("/setup/gateway/status?tenant=loja-da-ana&once=1")
            let text1 = String(buffer: status1.body)
            #expect(text1.contains(#""state":"refused""#) && text1.contains("a assinatura não confere"), "\(text1)")
            #expect(try f.value("SELECT count(*) FROM setup_action_logs WHERE action = 'gateway.test_delivery' AND outcome = 'refused'") == "1")

            let good = GatewaySamples.signed(.hotmart, transaction: "TESTE-2", secret: Self.secret)
            let accepted = try await RawHTTP.request(port: ingest.port, method: "POST", target: target, headers: good.headers, body: good.body)
            #expect(accepted.status == 200)
            let status2 = try await browser.get("/setup/gateway/status?tenant=loja-da-ana&once=1")
            let text2 = String(buffer: status2.body)
            #expect(text2.contains(#""state":"accepted""#) && text2.contains("assinatura válida"), "\(text2)")
            try await browser.get("/setup?tenant=loja-da-ana")
            #expect(browser.lastBody.contains("Webhook de teste da Hotmart recebido em") && browser.lastBody.contains(#"data-testid="step-link""#))
            #expect(try f.value("SELECT count(*) FROM setup_action_logs WHERE action = 'gateway.test_delivery' AND outcome = 'accepted'") == "1")
            #expect(try f.value("SELECT count(*) FROM setup_messages WHERE body LIKE '%' || $1 || '%'", [.string(Self.secret)]) == "0")

            // Step 4: a checkout link of the verified gateway, applied; the preview marks the click id.
            let plain = try await browser.post("/setup/link", [("tenant", "loja-da-ana"), ("name", "Lançamento"), ("kind", "checkout"),
                                                             ("url", "http://pay.hotmart.com/X123?off=abc")])
            #expect(plain.status == .unprocessableContent && browser.lastBody.contains("precisa começar com https://"))
            #expect(browser.lastBody.contains(#"value="Lançamento""#), "what was typed is kept")
            let created = try await browser.post("/setup/link", [("tenant", "loja-da-ana"), ("name", "Lançamento"), ("kind", "checkout"),
                                                               ("url", "https://pay.hotmart.com/X123?off=abc")])
            #expect(created.status == .seeOther)
            #expect(try f.value("SELECT tenant_id FROM links WHERE slug = 'loja-da-ana-lancamento'") == "loja-da-ana")
            try await browser.get("/setup?tenant=loja-da-ana")
            #expect(browser.lastBody.contains("https://track.loja.test/go/loja-da-ana-lancamento"))
            #expect(browser.lastBody.contains("https://pay.hotmart.com/X123?off=abc&amp;"))
            #expect(browser.lastBody.contains(#"<mark data-testid="click-parameter">sck="#))
            #expect(browser.lastBody.contains("utm_campaign=lancamento%7C1203"))
            #expect(try f.value("SELECT count(*) FROM setup_action_logs WHERE action = 'link.created'") == "1")
        }
    }

    @Test("the trace decides by the latest delivery since the secret was saved")
    func traceStatus() {
        let trace = WebhookTrace(acceptedAt: 100, refusedAt: 105, refusedReason: .badSignature)
        #expect(trace.status(since: 90) == .refused(at: 105, reason: .badSignature))
        #expect(trace.status(since: 106) == .waiting)
        #expect(WebhookTrace(acceptedAt: 110, refusedAt: 105).status(since: 90) == .accepted(at: 110))
        #expect(WebhookTrace(acceptedAt: 80, refusedAt: 105, refusedReason: .staleTimestamp).status(since: 90)
                == .refused(at: 105, reason: .staleTimestamp))
        let commands = WebhookTrace.recordCommands(key: "k", outcome: .rejected(reason: .badSignature), at: 12.5)
        #expect(commands == [["HSET", "k", "refused_at", "12.500", "refused_reason", "badSignature"], ["EXPIRE", "k", "86400"]])
        #expect(WebhookTrace.parse(.array([.string(Array("accepted_at".utf8)), .string(Array("7.25".utf8))])) == WebhookTrace(acceptedAt: 7.25))
    }
}
