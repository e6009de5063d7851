import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrackhubConsole
import TrackhubCore

/// Registro, Fila de falhas, Webhooks ignorados, Ao vivo and Ajuda through the console's
/// routes (real Postgres and Redis), with rows written by the dispatch's own stores: search and
/// event page, tenant scoping, the replay's confirmation and its refusal for expired events,
/// viewer refused, the diagnosis of a planted unmatched sale, the support bundle, and escaping.
@Suite("Console: ledger, failure queue, live status, help", .serialized,
       .enabled(if: PostgresTestEnvironment.isConfigured && TestEnvironment.redisURL != nil, "needs scripts/test (Postgres and Redis)"))
struct InsightPagesTests {
    static let xss = #"<script>window.__xss=1</script>"#

    /// Tenants loja-a (pixel 111, Hotmart account) and loja-b (pixel 222); in loja-a a click,
    /// sale HP-A-1 matched to it with its Purchase retried then sent (Meta's message carries an
    /// XSS attempt), an unmatched sale HP-A-2 that carried "fb-ads", and two dead letters (one
    /// fresh, one expired); in loja-b a sale KW-B-1.
    static func plant(_ f: ConsoleFixture) throws -> (click: String, sale: Int64) {
        let pg = try PostgresConnection(f.databaseURL, applicationName: "insight-pages-test")
        defer { pg.close() }
        try pg.execute("""
            INSERT INTO tenants (id, name) VALUES ('loja-a', 'Loja A'), ('loja-b', 'Loja B');
            INSERT INTO pixels (id, tenant_id, mode, access_token_ciphertext, access_token_key_id)
                VALUES ('111', 'loja-a', 'live', 'v1.k1.U0VBTEVE', 'k1'), ('222', 'loja-b', 'live', NULL, NULL);
            INSERT INTO gateway_accounts (gateway, account, tenant_id) VALUES ('hotmart', 'a', 'loja-a');
            """)
        let click = ClickID.generate()
        try DispatchStore().insertTouchpoints([TouchpointRow(envelopeID: "e-click", tenant: "loja-a", kind: "click", clickID: click,
                                                             occurredAt: Date())], connection: pg)
        func sale(_ id: String, tenant: String, email: String?, tracking: TrackingParameters) throws -> Int64 {
            let c = Conversion(gateway: .hotmart, account: "a", transactionID: id, status: .approved, rawEventType: "PURCHASE_APPROVED",
                               value: Decimal(string: "197.5")!, currency: "BRL", buyer: RawUserData(email: email), tracking: tracking,
                               occurredAt: Date())
            let ids = try SalesStore().upsertConversions([SalesStore.ConversionRow(
                conversion: c, tenant: tenant, buyerHashedJSON: SalesStore.buyerJSON(UserDataNormalizer().normalize(c.buyer)),
                envelopeID: "e-\(id)")], connection: pg)
            return ids[0]
        }
        let matched = try sale("HP-A-1", tenant: "loja-a", email: "ana.compradora@example.com", tracking: TrackingParameters(sck: click))
        let touchpoint = try pg.query("SELECT id FROM touchpoints WHERE click_id = $1", [.string(click)])
        try SalesStore().insertMatches([SalesStore.MatchRow(conversionID: matched, touchpointID: Int64(try touchpoint.int(0, "id")!),
                                                            method: "click_id", score: 1)], connection: pg)
        _ = try sale("HP-A-2", tenant: "loja-a", email: nil, tracking: TrackingParameters(sck: "fb-ads"))
        _ = try sale("KW-B-1", tenant: "loja-b", email: "ana.compradora@example.com", tracking: TrackingParameters())
        let purchase = event("hotmart.HP-A-1", envelope: "e-HP-A-1", conversion: matched)
        try DispatchStore().appendLedger([
            LedgerEntry(event: purchase, attempt: 1, outcome: .retryScheduled, httpStatus: 500, metaCode: 2, metaMessage: xss),
            LedgerEntry(event: purchase, attempt: 2, outcome: .sent, httpStatus: 200, fbtraceID: "TraceOK1"),
        ], connection: pg)
        var result = SendResult()
        result.deadLetter(event("hotmart.HP-A-9", envelope: "e-9"), reason: .retriesExhausted, detail: "timeout", attempt: 12)
        result.deadLetter(event("hotmart.HP-A-8", envelope: "e-8", at: Date().addingTimeInterval(-8 * 86_400)), reason: .retriesExhausted,
                          detail: "timeout", attempt: 12)
        try DispatchStore().appendLedger(result.ledger, connection: pg)
        try DispatchStore().insertDeadLetters(result.deadLetters, connection: pg)
        try pg.query("""
            INSERT INTO webhook_inbox (envelope_id, gateway, account, tenant_id, received_at, body_sealed) VALUES ('w1', 'hotmart', 'a', 'loja-a', now(), 'v1.k1.eA')
            """)
        try SalesStore().markInboxes([(envelopeID: "w1", outcome: "ignored: event \(xss) is not sent")], connection: pg)
        return (click, matched)
    }

    static func event(_ id: String, envelope: String, conversion: Int64? = nil, at: Date = Date()) -> OutboundEvent {
        OutboundEvent(pixel: "111", envelopeID: envelope, conversionID: conversion,
                      event: CAPIEvent(eventName: .purchase, eventDate: at, eventId: id, actionSource: .website,
                                       eventSourceUrl: "https://loja-a.example/", userData: CAPIUserData(fbp: "fb.1.1796000000000.7"),
                                       customData: CAPICustomData(value: 197.5, currency: "BRL")))
    }

    static func login(_ f: ConsoleFixture, _ login: String, role: ConsoleRole, tenants: [String]) async throws -> ConsoleBrowser {
        try await f.store.createUser(login: login, displayName: login, password: "senha-segura-1", role: role,
                                     allTenants: role == .owner, tenants: tenants, actor: "test")
        let b = ConsoleBrowser(f.client)
        try await b.get("/login")
        try await b.post("/login", [("login", login), ("password", "senha-segura-1")])
        return b
    }

    @Test("Registro: order id, e-mail and click find the sale and its events; the event page shows each attempt with Meta's answer, escaped; another tenant's order stays hidden")
    func ledger() async throws {
        try await ConsoleFixture.run { f in
            let (click, _) = try Self.plant(f)
            let admin = try await Self.login(f, "ana", role: .admin, tenants: ["loja-a"])
            #expect(try await admin.get("/ledger?q=HP-A-1").status == .ok)
            #expect(admin.lastBody.contains("HP-A-1") && admin.lastBody.contains("Purchase · hotmart.HP-A-1") && admin.lastBody.contains("(aprovada)"))
            #expect(admin.lastBody.contains("Enviado ao Meta") && admin.lastBody.contains("R$ 197,50"))
            try await admin.get("/ledger?q=" + ConsoleBrowser.encode(" Ana.Compradora@Example.com "))
            #expect(admin.lastBody.contains("e-mail do comprador (hash)") && admin.lastBody.contains("HP-A-1"))
            #expect(!admin.lastBody.contains("KW-B-1"), "loja-b's sale with the same buyer is outside ana's tenants")
            try await admin.get("/ledger?q=" + click)
            #expect(admin.lastBody.contains("click · " + click) && admin.lastBody.contains("HP-A-1"))
            try await admin.get("/ledger?q=KW-B-1")
            #expect(admin.lastBody.contains("Nada encontrado"))

            #expect(try await admin.get("/ledger/event?pixel=111&name=Purchase&id=hotmart.HP-A-1").status == .ok)
            #expect(admin.lastBody.contains("Tentativa 1 · falhou; nova tentativa agendada") && admin.lastBody.contains("Tentativa 2 · enviado ao Meta"))
            #expect(admin.lastBody.contains("fbtrace_id TraceOK1") && admin.lastBody.contains("&quot;event_name&quot;: &quot;Purchase&quot;"))
            #expect(!admin.lastBody.contains(Self.xss) && admin.lastBody.contains("&lt;script&gt;window.__xss=1&lt;/script&gt;"))
            #expect(try await admin.get("/ledger/event?pixel=222&name=Purchase&id=x").status == .notFound)
        }
    }

    @Test("Fila de falhas: grouped by reason; a viewer cannot replay; an admin's replay waits for the confirmation, then schedules the fresh event and refuses the expired one")
    func failureQueue() async throws {
        try await ConsoleFixture.run { f in
            _ = try Self.plant(f)
            let viewer = try await Self.login(f, "vera", role: .viewer, tenants: ["loja-a"])
            #expect(try await viewer.get("/failures").status == .ok)
            #expect(viewer.lastBody.contains("retries_exhausted") && viewer.lastBody.contains("somente leitura") && !viewer.lastBody.contains("replay-reason"))
            #expect(try await viewer.post("/failures/replay", [("reason", "retries_exhausted")]).status == .forbidden)

            let admin = try await Self.login(f, "ana", role: .admin, tenants: ["loja-a"])
            try await admin.get("/failures")
            #expect(try await admin.post("/failures/replay", [("reason", "retries_exhausted")]).status == .ok)
            #expect(admin.lastBody.contains("1 item(ns) serão reenviados. 1 têm mais de 7 dias"))
            #expect(try f.deadLettersPending() == 2, "nothing replayed before the confirmation")
            let confirm = try #require(admin.lastBody.firstMatch(#"name="confirm" value="([^"]+)""#))
            try await admin.post("/failures/replay", [("reason", "retries_exhausted"), ("confirm", confirm)])
            #expect(admin.lastBody.contains("1 item(ns) reenviado(s). 1 recusado(s): mais de 7 dias"))
            #expect(try f.deadLettersPending() == 1 && (try f.retryScheduled()) == 1)
        }
    }

    @Test("Ajuda: the planted unmatched sale is diagnosed with its evidence and a fix; the support case's bundle downloads without the buyer's e-mail or the sealed token")
    func help() async throws {
        try await ConsoleFixture.run { f in
            _ = try Self.plant(f)
            let admin = try await Self.login(f, "ana", role: .admin, tenants: ["loja-a"])
            try await admin.get("/help")
            try await admin.post("/help", [("message", "a venda não casou com o clique")])
            #expect(admin.lastBody.contains(#"data-level="warning""#))
            #expect(admin.lastBody.contains("Pedido HP-A-2") && admin.lastBody.contains("fb-ads"))
            #expect(admin.lastBody.contains("Verificar a página de vendas"))
            try await admin.post("/help", [("topic", "token_expired")])
            #expect(admin.lastBody.contains("O token do pixel 111 funciona"), "the token works: Meta accepted HP-A-1")
            try await admin.post("/help/support", [])
            #expect(admin.lastBody.contains("Pedido de ajuda nº 1 aberto"))
            let bundle = try await admin.get("/help/cases/1/bundle")
            #expect(bundle.status == .ok && bundle.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"trackhub-suporte-") == true)
            let json = String(buffer: bundle.body)
            #expect(json.contains("trackhub-support-bundle") && !json.contains("compradora") && !json.contains("U0VBTEVE"))
            #expect(!json.contains("loja-b"))
        }
    }

    @Test("Webhooks ignorados lists the reason escaped; Ao vivo shows the figures and its stream sends them as an event")
    func ignoredAndLive() async throws {
        try await ConsoleFixture.run { f in
            _ = try Self.plant(f)
            let owner = try await Self.login(f, "dona", role: .owner, tenants: [])
            #expect(try await owner.get("/webhooks/ignored").status == .ok)
            #expect(owner.lastBody.contains("hotmart · a") && owner.lastBody.contains("&lt;script&gt;") && !owner.lastBody.contains(Self.xss))
            #expect(try await owner.get("/live").status == .ok)
            #expect(owner.lastBody.contains(#"data-testid="live-marker""#) && owner.lastBody.contains("/static/insight.js"))
            let stream = try await owner.get("/live/stream?once=1")
            #expect(stream.headers[.contentType] == "text/event-stream")
            let text = String(buffer: stream.body)
            #expect(text.contains("event: status\ndata: {") && text.contains(#""dead_letters":"2""#))
        }
    }
}

extension String {
    /// The first capture group of `pattern` in this text.
    func firstMatch(_ pattern: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let m = regex.firstMatch(in: self, range: NSRange(startIndex..., in: self)), m.numberOfRanges > 1,
              let r = Range(m.range(at: 1), in: self) else { return nil }
        return String(self[r])
    }
}

extension ConsoleFixture {
    /// Dead letters not replayed yet.
    func deadLettersPending() throws -> Int {
        let pg = try PostgresConnection(databaseURL, applicationName: "insight-pages-test")
        defer { pg.close() }
        return try pg.query("SELECT count(*) AS n FROM dead_letters WHERE replayed_at IS NULL").int(0, "n") ?? -1
    }

    /// Events waiting in the retry schedule of the console's stream prefix.
    func retryScheduled() throws -> Int {
        let redis = try RedisConnection(endpoint: configuration.redis)
        defer { redis.close() }
        return try RetrySchedule(layout: StreamLayout(prefix: configuration.streamPrefix)).depth(connection: redis).scheduled
    }
}
