import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrackhubConsole
import TrackhubCore

/// The read API (`/api/v1/…`) through the console's routes over real Postgres: numbers planted
/// through the dispatch's own stores (so the rollup triggers count them), read with a tenant's
/// key and with console sessions; no key 401, another tenant's key 404, a viewer of another
/// tenant 404, and each endpoint's numbers against what was planted.
@Suite("Console: analytics read API", .serialized,
       .enabled(if: PostgresTestEnvironment.isConfigured && TestEnvironment.redisURL != nil, "needs scripts/test (Postgres and Redis)"))
struct ConsoleAnalyticsAPITests {
    static let at = Date(timeIntervalSince1970: 1_796_090_700)  // 2026-12-01 02:05 UTC
    static let period = "from=2026-12-01&to=2026-12-03"

    /// loja-a: 3 clicks on ad-a (campaign 120) and 1 on ad-b (campaign 130, the next day); two
    /// approved sales (197.10 matched to an ad-a click, 10.31 unmatched) and a refund of the
    /// second; the first sale's Purchase sent. loja-b: one click.
    static func plant(_ f: ConsoleFixture) throws {
        let pg = try PostgresConnection(f.databaseURL, applicationName: "analytics-api-test")
        defer { pg.close() }
        try pg.execute("""
            INSERT INTO tenants (id, name) VALUES ('loja-a', 'Loja A'), ('loja-b', 'Loja B');
            INSERT INTO pixels (id, tenant_id) VALUES ('111', 'loja-a'), ('222', 'loja-b');
            """)
        func click(_ n: Int, _ tenant: String, _ slug: String, _ campaign: String, _ offset: TimeInterval) -> TouchpointRow {
            TouchpointRow(envelopeID: "e\(n)", tenant: tenant, kind: "click", clickID: "c\(n)",
                          utmJSON: "{\"utm_source\":\"fb\",\"utm_campaign\":\"\(campaign)\"}", occurredAt: at + offset, linkSlug: slug)
        }
        try DispatchStore().insertTouchpoints([click(1, "loja-a", "ad-a", "120", 0), click(2, "loja-a", "ad-a", "120", 60),
                                               click(3, "loja-a", "ad-a", "120", 120), click(4, "loja-a", "ad-b", "130", 86_400),
                                               click(5, "loja-b", "ad-z", "999", 0)], connection: pg)
        func sale(_ id: String, _ status: ConversionStatus, _ value: String) -> SalesStore.ConversionRow {
            SalesStore.ConversionRow(conversion: Conversion(gateway: .hotmart, account: "a", transactionID: id, status: status, rawEventType: "X",
                                                            value: Decimal(string: value)!, currency: "BRL", productIDs: ["P1"],
                                                            occurredAt: at + 1800),
                                     tenant: "loja-a", buyerHashedJSON: "{}", envelopeID: "w-\(id)-\(status.rawValue)")
        }
        let ids = try SalesStore().upsertConversions([sale("T1", .approved, "197.10"), sale("T2", .approved, "10.31"),
                                                      sale("T2", .refunded, "10.31")], connection: pg)
        let tp = try pg.query("SELECT id FROM touchpoints WHERE envelope_id = 'e1'")
        try SalesStore().insertMatches([.init(conversionID: ids[0], touchpointID: Int64(try tp.int(0, "id")!), method: "click_id", score: 1)],
                                       connection: pg)
        let purchase = OutboundEvent(pixel: "111", envelopeID: "w-T1-approved", conversionID: ids[0],
                                     event: CAPIEvent(eventName: .purchase, eventTime: 1_796_092_500, eventId: "hotmart.T1",
                                                      actionSource: .website, userData: CAPIUserData(fbp: "fb.1.1.1")))
        try DispatchStore().appendLedger([LedgerEntry(event: purchase, attempt: 1, outcome: .sent, includePayload: false)], connection: pg)
    }

    static func get(_ f: ConsoleFixture, _ uri: String, key: String? = nil) async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
        var headers = HTTPFields()
        if let key { headers[.authorization] = "Bearer \(key)" }
        let r = try await f.client.execute(uri: uri, method: .get, headers: headers)
        let json = (try? JSONSerialization.jsonObject(with: Data(String(buffer: r.body).utf8))) as? [String: Any] ?? [:]
        return (r.status, json)
    }

    @Test("keys: none or unknown 401 (problem+json), another tenant's 404, revoked 401; a session sees only its tenants")
    func authentication() async throws {
        try await ConsoleFixture.run { f in
            try Self.plant(f)
            let pg = try PostgresConnection(f.databaseURL, applicationName: "analytics-api-test")
            defer { pg.close() }
            let keys = APIKeyStore()
            let a = try keys.create(tenant: "loja-a", name: "planilha", connection: pg)
            let b = try keys.create(tenant: "loja-b", name: "", connection: pg)
            #expect(a.key.hasPrefix("thk_") && a.key.count == 68)
            #expect(try f.value("SELECT count(*) FROM api_keys WHERE key_hash = $1", [.string(a.key)]) == "0", "the key itself is stored")

            let none = try await f.client.execute(uri: "/api/v1/summary?\(Self.period)", method: .get)
            #expect(none.status == .unauthorized && none.headers[.contentType] == "application/problem+json" && none.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await Self.get(f, "/api/v1/summary", key: "thk_" + String(repeating: "0", count: 64)).status == .unauthorized)
            #expect(try await Self.get(f, "/api/v1/summary?tenant=loja-a", key: b.key).status == .notFound)
            let own = try await Self.get(f, "/api/v1/summary?\(Self.period)", key: a.key)
            #expect(own.status == .ok && own.json["tenant"] as? String == "loja-a" && own.json["clicks"] as? Int == 4)
            let other = try await Self.get(f, "/api/v1/summary?\(Self.period)", key: b.key)
            #expect(other.json["tenant"] as? String == "loja-b" && other.json["clicks"] as? Int == 1)
            #expect(try keys.revoke(id: b.id, tenant: "loja-b", connection: pg))
            #expect(try await Self.get(f, "/api/v1/summary", key: b.key).status == .unauthorized)
            #expect(try keys.list(tenants: ["loja-b"], connection: pg).first?.revokedAt != nil)

            try await f.store.createUser(login: "vera", displayName: "Vera", password: "senha-segura-2", role: .viewer, allTenants: false,
                                         tenants: ["loja-b"], actor: "test")
            let browser = ConsoleBrowser(f.client)
            try await browser.get("/login")
            try await browser.post("/login", [("login", "vera"), ("password", "senha-segura-2")])
            #expect(try await browser.get("/api/v1/summary?tenant=loja-a&\(Self.period)").status == .notFound)
            #expect(try await browser.get("/api/v1/summary?\(Self.period)").status == .badRequest)
            let seen = try await browser.get("/api/v1/summary?tenant=loja-b&\(Self.period)")
            #expect(seen.status == .ok && browser.lastBody.contains("\"clicks\":1"))
        }
    }

    @Test("each endpoint's numbers: summary, time series, breakdown, top links, match quality, reconcile")
    func numbers() async throws {
        try await ConsoleFixture.run { f in
            try Self.plant(f)
            let pg = try PostgresConnection(f.databaseURL, applicationName: "analytics-api-test")
            defer { pg.close() }
            let key = try APIKeyStore().create(tenant: "loja-a", name: "", connection: pg).key

            let summary = try await f.client.execute(uri: "/api/v1/summary?\(Self.period)", method: .get,
                                                     headers: [.authorization: "Bearer \(key)"])
            let text = String(buffer: summary.body)
            // Money as exact decimal numbers, per currency.
            #expect(text.contains("\"revenue\":{\"gross\":{\"BRL\":207.41},\"net\":{\"BRL\":197.1}}"), "\(text)")
            let s = try await Self.get(f, "/api/v1/summary?\(Self.period)", key: key).json
            #expect(s["clicks"] as? Int == 4 && (s["sales"] as? [String: Int]) == ["approved": 2, "refunded": 1])
            #expect((s["matches"] as? [String: Int]) == ["click_id": 1])
            // A send counts in the hour it happened (now), not in the sale's: none in December's first days,
            // one in the default period (the 7 days up to the current hour).
            #expect(s["purchases_sent"] as? Int == 0)
            #expect(try await Self.get(f, "/api/v1/summary", key: key).json["purchases_sent"] as? Int == 1)
            #expect(s["from"] as? String == "2026-12-01T00:00:00Z" && s["to"] as? String == "2026-12-03T00:00:00Z")

            let series = try await Self.get(f, "/api/v1/timeseries?\(Self.period)&interval=day", key: key).json
            let points = try #require(series["points"] as? [[String: Any]])
            #expect(points.map { $0["at"] as? String } == ["2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"])
            #expect(points.map { $0["clicks"] as? Int } == [3, 1])
            let hourly = try #require(try await Self.get(f, "/api/v1/timeseries?\(Self.period)&interval=hour", key: key).json["points"] as? [[String: Any]])
            #expect(hourly.first?["at"] as? String == "2026-12-01T02:00:00Z" && hourly.first?["clicks"] as? Int == 3)

            let byCampaign = try #require(try await Self.get(f, "/api/v1/breakdown?\(Self.period)&by=utm_campaign", key: key).json["rows"] as? [[String: Any]])
            let clicksByCampaign = Dictionary(uniqueKeysWithValues: byCampaign.map { ($0["value"] as? String ?? "?", $0["clicks"] as? Int ?? -1) })
            #expect(clicksByCampaign == ["": 0, "120": 3, "130": 1])
            let campaign120 = byCampaign.first { $0["value"] as? String == "120" }
            #expect(((campaign120?["revenue"] as? [String: Any])?["gross"] as? [String: Double])?["BRL"] == 197.1)
            #expect(try await Self.get(f, "/api/v1/breakdown?\(Self.period)&by=city", key: key).status == .badRequest)

            let top = try #require(try await Self.get(f, "/api/v1/top-links?\(Self.period)&limit=1", key: key).json["rows"] as? [[String: Any]])
            #expect(top.map { $0["value"] as? String } == ["ad-a"] && top.first?["clicks"] as? Int == 3)

            let quality = try #require(try await Self.get(f, "/api/v1/match-quality?\(Self.period)", key: key).json["points"] as? [[String: Any]])
            #expect(quality.count == 1 && quality.first?["sales"] as? Int == 3 && quality.first?["matched"] as? Int == 1)

            let day = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
            let reconcile = try await Self.get(f, "/api/v1/reconcile?day=\(day)", key: key).json
            let hotmart = try #require((reconcile["gateways"] as? [String: [String: Any]])?["hotmart"])
            #expect(hotmart["received"] as? Int == 3 && hotmart["sent"] as? Int == 1 && (hotmart["not_sent"] as? [Any])?.count == 2)
            #expect(try await Self.get(f, "/api/v1/reconcile?day=ontem", key: key).status == .badRequest)
            #expect(try await Self.get(f, "/api/v1/summary?from=2026-12-03&to=2026-12-01", key: key).status == .badRequest)
        }
    }
}
