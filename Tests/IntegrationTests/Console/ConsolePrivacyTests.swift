import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrackhubConsole
import TrackhubCore

/// Privacidade through the console's routes (real Postgres and Redis), over InsightPagesTests'
/// planted tenants — the same buyer bought in loja-a (HP-A-1, matched to a click, its Purchase in
/// the ledger, its webhook body stored sealed) and in loja-b (KW-B-1): search counts loja-a's
/// rows only, the export is the CLI's document, the erasure needs the typed word and erases only
/// loja-a's, a second search finds nothing; bad input is refused by field and searches nothing;
/// a viewer sees no form and every POST of theirs is refused. The identifiers are never in an
/// audit row, and expectations about them print only booleans.
@Suite("Console: Privacidade (LGPD requests)", .serialized,
       .enabled(if: PostgresTestEnvironment.isConfigured && TestEnvironment.redisURL != nil, "needs scripts/test (Postgres and Redis)"))
struct ConsolePrivacyTests {
    static let email = "ana.compradora@example.com"

    /// HP-A-1's webhook, sealed as ingestd stores it, naming the buyer in clear.
    static func plantWebhook(_ f: ConsoleFixture) throws {
        let body = #"{"event":"PURCHASE_APPROVED","data":{"buyer":{"email":"\#(email)","name":"Ana Compradora"}}}"#
        let sealed = try f.keys.seal(Data(body.utf8), for: SealContext.webhookBody(tenant: "loja-a", envelope: "e-HP-A-1")).text
        try f.sql("""
            INSERT INTO webhook_inbox (envelope_id, gateway, account, tenant_id, received_at, body_sealed, processed_at, outcome)
            VALUES ('e-HP-A-1', 'hotmart', 'a', 'loja-a', now(), $1, now(), 'conversion')
            """, [.string(sealed)])
    }

    static func count(_ body: String, _ kind: String) -> String? {
        guard let start = body.range(of: #"data-testid="privacy-row-\#(kind)"><span>"#) else { return nil }
        let rest = body[start.upperBound...]
        guard let label = rest.range(of: "</span><span"), let open = rest[label.upperBound...].range(of: ">"),
              let close = rest[open.upperBound...].range(of: "</span>") else { return nil }
        return String(rest[open.upperBound..<close.lowerBound])
    }

    @Test("search, export, erase after the typed word, search again: loja-a's rows only, audited without identifiers")
    func searchExportErase() async throws {
        try await ConsoleFixture.run { f in
            _ = try InsightPagesTests.plant(f)
            try Self.plantWebhook(f)
            let hash = UserDataNormalizer().normalize(RawUserData(email: Self.email)).em[0]
            let owner = try await InsightPagesTests.login(f, "dona", role: .owner, tenants: [])

            let page = try await owner.get("/privacy?tenant=loja-a")
            #expect(page.status == .ok && owner.lastBody.contains(#"data-testid="privacy-form""#) && owner.lastBody.contains("Privacidade (LGPD)"))
            #expect(owner.lastBody.contains(#"href="/privacy""#), "the navigation links the page")

            let found = try await owner.post("/privacy/search", [("tenant", "loja-a"), ("email", "  Ana.Compradora@Example.com ")])
            #expect(found.status == .ok)
            let body = owner.lastBody
            #expect(Self.count(body, "conversions") == "1" && Self.count(body, "touchpoints") == "1", "loja-a's sale and its click, not loja-b's")
            #expect(Self.count(body, "dispatch_attempts") == "2" && Self.count(body, "webhook_inbox") == "1" && Self.count(body, "dead_letters") == "0")
            let hashShown = body.contains(hash)
            #expect(!hashShown, "the page never shows a hash")
            #expect(body.contains(#"data-testid="privacy-export""#) && body.contains(#"data-testid="privacy-erase""#))

            let export = try await owner.post("/privacy/export", [("tenant", "loja-a"), ("email", Self.email)])
            #expect(export.status == .ok && export.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(export.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"lgpd-loja-a-") == true)
            let document = String(buffer: export.body)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
            let orders = (json["conversions"] as? [[String: Any]] ?? []).compactMap { $0["transaction_id"] as? String }
            #expect(orders == ["HP-A-1"], "the planted sale, not loja-b's KW-B-1")
            let clearInBody = document.contains(Self.email)
            #expect(clearInBody, "the opened webhook body is in the export")
            #expect(try f.value("SELECT requested_by || '|' || kind FROM privacy_requests ORDER BY id DESC LIMIT 1") == "console:dona|export")

            try await owner.get("/privacy?tenant=loja-a")  // the download carried no form: back to the page (its CSRF token)
            // Erase: the first POST only shows what will go and asks for the word; a wrong word erases nothing.
            #expect(try await owner.post("/privacy/erase", [("tenant", "loja-a"), ("email", Self.email)]).status == .ok)
            #expect(owner.lastBody.contains(#"data-testid="privacy-confirm-word""#) && owner.lastBody.contains("APAGAR"))
            #expect(owner.lastBody.contains(#"data-kind="conversions"><span>Vendas</span><span class="">1</span>"#))
            #expect(try await owner.post("/privacy/erase", [("tenant", "loja-a"), ("email", Self.email), ("confirm_word", "sim")]).status == .ok)
            #expect(owner.lastBody.contains(#"data-testid="privacy-wrong-word""#))
            #expect(try f.value("SELECT count(*) FROM conversions WHERE transaction_id = 'HP-A-1' AND buyer IS NOT NULL") == "1", "nothing erased yet")

            #expect(try await owner.post("/privacy/erase", [("tenant", "loja-a"), ("email", Self.email), ("confirm_word", "apagar")]).status == .ok)
            #expect(owner.lastBody.contains(#"data-testid="privacy-erased-notice""#))
            #expect(try f.value("SELECT count(*) FROM conversions WHERE transaction_id = 'HP-A-1' AND buyer IS NULL") == "1")
            #expect(try f.value("SELECT count(*) FROM conversions WHERE transaction_id = 'KW-B-1' AND buyer IS NOT NULL") == "1", "loja-b's sale stays")
            #expect(try f.value("SELECT outcome FROM webhook_inbox WHERE envelope_id = 'e-HP-A-1'") == "erased")
            let request = try #require(try f.value("SELECT requested_by || '|' || (counts->>'conversions') FROM privacy_requests WHERE kind = 'erase'"))
            #expect(request == "console:dona|1")

            #expect(try await owner.post("/privacy/search", [("tenant", "loja-a"), ("email", Self.email)]).status == .ok)
            #expect(owner.lastBody.contains(#"data-testid="privacy-nothing""#) && !owner.lastBody.contains(#"data-testid="privacy-erase""#))

            let audit = try f.value("SELECT string_agg(action || ': ' || summary, E'\n' ORDER BY id) FROM config_audit WHERE action LIKE 'privacy.%'") ?? ""
            #expect(audit.contains("privacy.search: searched by email: 5 rows found") && audit.contains("privacy.export:")
                    && audit.contains("privacy.erase: privacy request #"), "\(audit)")
            let leaked = audit.lowercased().contains("ana.compradora") || audit.contains(hash)
            #expect(!leaked, "no identifier in the audit")
        }
    }

    @Test("bad input is refused by field, in pt-BR, and nothing is searched")
    func refusals() async throws {
        try await ConsoleFixture.run { f in
            _ = try InsightPagesTests.plant(f)
            let owner = try await InsightPagesTests.login(f, "dona", role: .owner, tenants: [])
            try await owner.get("/privacy?tenant=loja-a")
            #expect(try await owner.post("/privacy/search", [("tenant", "loja-a")]).status == .badRequest)
            #expect(owner.lastBody.contains("Preencha pelo menos um dado da pessoa"))
            #expect(try await owner.post("/privacy/search", [("tenant", "loja-a"), ("email", "ana.example.com")]).status == .badRequest)
            #expect(owner.lastBody.contains(#"data-testid="privacy-problem-email""#) && !owner.lastBody.contains(#"data-testid="privacy-found""#))
            #expect(try await owner.post("/privacy/search", [("tenant", "loja-a"), ("cpf", "529.982.247-26")]).status == .badRequest)
            #expect(owner.lastBody.contains(#"data-testid="privacy-problem-cpf""#) && owner.lastBody.contains("dígitos verificadores"))
            let xss = #"<img src=x onerror="window.__xss=1">"#
            #expect(try await owner.post("/privacy/search", [("tenant", "loja-a"), ("phone", xss)]).status == .badRequest)
            #expect(!owner.lastBody.contains(xss) && owner.lastBody.contains("&lt;img src=x onerror="), "typed text comes back escaped")
            #expect(try await owner.post("/privacy/export", [("tenant", "loja-a"), ("telegram_user_id", "abc")]).status == .badRequest)
            #expect(try await owner.post("/privacy/erase", [("tenant", "loja-a"), ("cpf", "123"), ("confirm_word", "APAGAR")]).status == .badRequest)
            #expect(try f.value("SELECT count(*) FROM privacy_requests") == "0")
            #expect(try f.value("SELECT count(*) FROM config_audit WHERE action LIKE 'privacy.%'") == "0")
            // A tenant that does not exist is refused like one the user may not see.
            #expect(try await owner.post("/privacy/search", [("tenant", "nao-existe"), ("email", Self.email)]).status == .forbidden)
        }
    }

    @Test("a viewer sees the page without the form; every POST of theirs, and an admin's on another tenant, is refused; in English the word is ERASE")
    func viewerRefused() async throws {
        try await ConsoleFixture.run { f in
            _ = try InsightPagesTests.plant(f)
            let viewer = try await InsightPagesTests.login(f, "vera", role: .viewer, tenants: ["loja-a"])
            #expect(try await viewer.get("/privacy?tenant=loja-a").status == .ok)
            #expect(viewer.lastBody.contains(#"data-testid="privacy-viewer""#) && !viewer.lastBody.contains(#"data-testid="privacy-form""#))
            #expect(!viewer.lastBody.contains(#"data-testid="privacy-export""#) && !viewer.lastBody.contains(#"data-testid="privacy-erase""#))
            for path in ["/privacy/search", "/privacy/export", "/privacy/erase"] {
                let status = try await viewer.post(path, [("tenant", "loja-a"), ("email", Self.email), ("confirm_word", "APAGAR")]).status
                #expect(status == .forbidden, "\(path)")
            }
            // In English: the same page, the word to type is ERASE.
            let owner = try await InsightPagesTests.login(f, "dona", role: .owner, tenants: [])
            try await owner.get("/privacy?tenant=loja-a")
            try await owner.post("/language", [("lang", "en"), ("back", "/privacy?tenant=loja-a")])
            try await owner.get("/privacy?tenant=loja-a")
            #expect(owner.lastBody.contains("Privacy (LGPD)") && owner.lastBody.contains(">Privacy</a>"))
            #expect(try await owner.post("/privacy/erase", [("tenant", "loja-a"), ("email", Self.email)]).status == .ok)
            #expect(owner.lastBody.contains("<strong>ERASE</strong>") && owner.lastBody.contains("<span>Sales</span>"))
            let admin = try await InsightPagesTests.login(f, "bruno", role: .admin, tenants: ["loja-b"])
            try await admin.get("/privacy")
            #expect(try await admin.post("/privacy/erase", [("tenant", "loja-a"), ("email", Self.email), ("confirm_word", "APAGAR")]).status == .forbidden)
            #expect(try f.value("SELECT count(*) FROM conversions WHERE buyer IS NULL") == "0")
            #expect(try f.value("SELECT count(*) FROM privacy_requests") == "0")
        }
    }

    @Test("an erasure while events accepted before it wait unprocessed (dispatchd stopped) erases nothing and says why")
    func notDrained() async throws {
        var configuration = ConsoleFixture.testConfiguration()
        configuration.privacyDrainTimeout = .milliseconds(300)
        try await ConsoleFixture.run(configuration: configuration) { f in
            _ = try InsightPagesTests.plant(f)
            // An entry in an ingest stream that no worker ever read.
            let redis = try RedisConnection(endpoint: f.configuration.redis, timeout: .seconds(2))
            defer { redis.close() }
            let stream = try #require(StreamLayout(prefix: f.configuration.streamPrefix).allStreams.first)
            #expect(try redis.command(["XADD", stream, "*", "e", "sealed"]).errorMessage == nil)
            let owner = try await InsightPagesTests.login(f, "dona", role: .owner, tenants: [])
            try await owner.get("/privacy?tenant=loja-a")
            let refused = try await owner.post("/privacy/erase", [("tenant", "loja-a"), ("email", Self.email), ("confirm_word", "APAGAR")])
            #expect(refused.status == .serviceUnavailable)
            #expect(owner.lastBody.contains("Nada foi apagado") && owner.lastBody.contains("o dispatchd está rodando?"))
            #expect(try f.value("SELECT count(*) FROM conversions WHERE buyer IS NULL") == "0")
            #expect(try f.value("SELECT count(*) FROM privacy_requests") == "0")
            #expect(try f.value("SELECT count(*) FROM config_audit WHERE action = 'privacy.erase'") == "0")
        }
    }
}
