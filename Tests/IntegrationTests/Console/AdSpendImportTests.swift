import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import TrackhubConsole
import TrackhubCore
import TrackhubTesting

/// The ad spend import end to end: real Postgres, the real importer over libcurl, the fake
/// Meta's insights endpoint (paged, metrics as strings, strict about tokens), then the read
/// side — the API's breakdown and the Números page — showing revenue ÷ spend for a campaign
/// whose `utm_campaign` carries its id.
@Suite("Ad spend: import from the insights API, and ROAS", .serialized,
       .enabled(if: PostgresTestEnvironment.isConfigured && TestEnvironment.redisURL != nil, "needs scripts/test (Postgres and Redis)"))
struct AdSpendImportTests {
    static let tenant = "loja"
    static let account = "act_777001"
    static let token = "EAAB-ads-read-token-0001"
    static let pixelToken = "EAAB-pixel-token-0002"
    static let today = AdSpendPlan.day(of: Date(), timeZone: TimeZone(identifier: AdSpendStore.accountTimeZone)!)
    static let days = AdSpendPlan(account: account, today: today, count: 3).days

    /// Two campaigns, two ad sets, three ads, on each of the three days: 6 + 6 + 9 rows; with
    /// pages of 5, two pages per level. Campaign 120210 spends 33.37 + 33.36 + 33.37 = 100.10.
    static func rows(revised: Bool = false) -> [FakeMetaInsightsRow] {
        let c1 = revised ? ["33.37", "33.36", "40.00"] : ["33.37", "33.36", "33.37"]
        var out: [FakeMetaInsightsRow] = []
        for (i, day) in days.enumerated() {
            out.append(.init(level: .campaign, day: day, campaignID: "120210", campaignName: "Promo", spend: c1[i], impressions: "361324", clicks: "4821"))
            if !(revised && i == 0) {  // the revision drops campaign 120211's first day
                out.append(.init(level: .campaign, day: day, campaignID: "120211", campaignName: "Remarketing", spend: "0.07", impressions: "12", clicks: "0"))
            }
            out.append(.init(level: .adset, day: day, campaignID: "120210", adsetID: "5501", adsetName: "Lookalike 1%", spend: c1[i]))
            out.append(.init(level: .adset, day: day, campaignID: "120211", adsetID: "5502", adsetName: "Visitantes 7d", spend: "0.07"))
            out.append(.init(level: .ad, day: day, campaignID: "120210", adsetID: "5501", adID: "9001", adName: "Vídeo 1", spend: "20.01"))
            out.append(.init(level: .ad, day: day, campaignID: "120210", adsetID: "5501", adID: "9002", adName: "Carrossel", spend: "13.36"))
            out.append(.init(level: .ad, day: day, campaignID: "120211", adsetID: "5502", adID: "9003", adName: "Estático", spend: "0.07"))
        }
        return out
    }

    static func importer(_ f: ConsoleFixture) -> AdSpendImporter {
        AdSpendImporter(configuration: .init(graphBaseURL: f.graphBaseURL, graphVersion: "v25.0", days: 3),
                        source: CurlAdInsightsSource(http: f.http, timeout: .seconds(10)), postgres: f.pool, keys: f.keys,
                        logger: Logger(label: "adspend-test"))
    }

    static func plantTenant(_ f: ConsoleFixture) throws {
        let sealed = try f.keys.seal(string: pixelToken, for: .pixelToken(tenant: tenant, pixel: "111"))
        try f.sql("INSERT INTO tenants (id, name) VALUES ($1, 'Loja')", [.string(tenant)])
        try f.sql("INSERT INTO pixels (id, tenant_id, access_token_ciphertext, access_token_key_id, is_default) VALUES ('111', $1, $2, 'k1', true)",
                  [.string(tenant), .string(sealed.text)])
    }

    /// Every ad_spend row of the account as text, ordered: the exact state to compare.
    static func snapshot(_ f: ConsoleFixture, account: String = account) throws -> String {
        try f.value("""
            SELECT coalesce(string_agg(concat_ws(' ', day, level, object_id, campaign_id, adset_id, ad_id, ad_name, currency, spend::text,
                                                 impressions, clicks), E'\\n' ORDER BY level, day, object_id), '')
            FROM ad_spend WHERE ad_account = $1
            """, [.string(account)]) ?? ""
    }

    @Test("two pages at three levels → exact rows; a re-import replaces, never doubles; an expired token → last_error, nothing touched")
    func importReplacesAndStops() async throws {
        try await ConsoleFixture.run { f in
            try Self.plantTenant(f)
            f.meta.insightsMaxPageSize = 5
            f.meta.seedAdAccount(Self.account, FakeMetaAdAccount(currency: "BRL", readers: [Self.token], rows: Self.rows()))
            let pg = try PostgresConnection(f.databaseURL, applicationName: "adspend-test")
            defer { pg.close() }
            try AdAccountStore.save(tenant: Self.tenant, account: Self.account, token: Self.token, keys: f.keys, connection: pg)
            #expect(try f.value("SELECT token_ciphertext LIKE 'v2.k1.%' FROM ad_accounts") == "t")
            #expect(try f.value("SELECT count(*) FROM ad_accounts WHERE token_ciphertext LIKE $1", [.string("%\(Self.token)%")]) == "0")
            let importer = Self.importer(f)

            let first = try await importer.importAll(tenant: Self.tenant)
            #expect(first == [AdSpendResult(tenant: Self.tenant, account: Self.account,
                                            outcome: .imported(rows: [.campaign: 6, .adset: 6, .ad: 9], days: Self.days))])
            #expect(f.meta.insightsRequests(account: Self.account) == 6, "two pages per level")
            #expect(try f.value("SELECT count(*) FROM ad_spend") == "21")
            #expect(try f.value("SELECT sum(spend)::text FROM ad_spend WHERE level = 'campaign' AND object_id = '120210'") == "100.10")
            #expect(try f.value("SELECT sum(spend)::text FROM ad_spend WHERE level = 'ad'") == "100.32")
            #expect(try f.value("""
                SELECT concat_ws('|', campaign_name, impressions, clicks, currency) FROM ad_spend
                WHERE level = 'campaign' AND object_id = '120210' AND day = $1::date
                """, [.string(Self.today)]) == "Promo|361324|4821|BRL")
            #expect(try f.value("SELECT concat_ws('|', campaign_id, adset_id, ad_name) FROM ad_spend WHERE level = 'ad' AND object_id = '9001' LIMIT 1")
                    == "120210|5501|Vídeo 1")
            #expect(try f.value("SELECT (last_synced_at IS NOT NULL)::text || coalesce(last_error, '') FROM ad_accounts") == "true")

            // The same import again changes nothing; Meta's revision replaces the days, never adds.
            let before = try Self.snapshot(f)
            _ = try await importer.importAll(tenant: Self.tenant)
            #expect(try Self.snapshot(f) == before && f.value("SELECT count(*) FROM ad_spend") == "21")
            f.meta.seedAdAccount(Self.account, FakeMetaAdAccount(currency: "BRL", readers: [Self.token], rows: Self.rows(revised: true)))
            let revised = try await importer.importAll(tenant: Self.tenant)
            #expect(revised.first?.outcome == .imported(rows: [.campaign: 5, .adset: 6, .ad: 9], days: Self.days))
            #expect(try f.value("SELECT count(*) FROM ad_spend") == "20")
            #expect(try f.value("SELECT sum(spend)::text FROM ad_spend WHERE level = 'campaign' AND object_id = '120210'") == "106.73")
            #expect(try f.value("SELECT count(*) FROM ad_spend WHERE level = 'campaign' AND object_id = '120211'") == "2")

            // Throttled (code 17): nothing written, the reason recorded, the spend kept.
            let kept = try Self.snapshot(f)
            f.meta.failInsights(account: Self.account, code: 17, subcode: 2_446_079, message: "(#17) User request limit reached")
            let throttled = try await importer.importAll(tenant: Self.tenant)
            guard case .failed(let t)? = throttled.first?.outcome else { Issue.record("not failed: \(throttled)"); return }
            #expect(t.kind == .throttled && t.code == 17)
            #expect(try Self.snapshot(f) == kept)
            #expect(try f.value("SELECT last_error FROM ad_accounts")?.contains("limiting insights calls (code 17/2446079)") == true)
            f.meta.failInsights(account: Self.account, code: nil)

            // The token expires: last_error says so (no token in it), nothing touched, and the
            // account is not asked again until its token changes.
            f.meta.expireToken(Self.token)
            let expired = try await importer.importAll(tenant: Self.tenant)
            guard case .failed(let e)? = expired.first?.outcome else { Issue.record("not failed: \(expired)"); return }
            #expect(e.kind == .token)
            let lastError = try #require(try f.value("SELECT last_error FROM ad_accounts"))
            #expect(lastError.contains("code 190/463") && lastError.contains("dispatchd adspend add") && !lastError.contains(Self.token))
            #expect(try Self.snapshot(f) == kept)
            let asked = f.meta.insightsRequests(account: Self.account)
            let again = try await importer.importAll(tenant: Self.tenant)
            #expect(again.first?.outcome == .skipped(reason: "Meta refused this token; waiting for a new one"))
            #expect(f.meta.insightsRequests(account: Self.account) == asked, "a refused token was sent again")

            // A new token: imported again at once.
            let renewed = "EAAB-ads-read-token-0003"
            f.meta.seedAdAccount(Self.account, FakeMetaAdAccount(currency: "BRL", readers: [renewed], rows: Self.rows()))
            try AdAccountStore.save(tenant: Self.tenant, account: Self.account, token: renewed, keys: f.keys, connection: pg)
            let back = try await importer.importAll(tenant: Self.tenant)
            #expect(back.first?.label == "imported")
            #expect(try f.value("SELECT sum(spend)::text FROM ad_spend WHERE level = 'campaign' AND object_id = '120210'") == "100.10")
        }
    }

    @Test("the default pixel's token is used when the account has none; a token without ads_read is a permission error")
    func tokensAndPermissions() async throws {
        try await ConsoleFixture.run { f in
            try Self.plantTenant(f)
            let pg = try PostgresConnection(f.databaseURL, applicationName: "adspend-test")
            defer { pg.close() }
            f.meta.seedAdAccount("act_888", FakeMetaAdAccount(currency: "USD", readers: [Self.pixelToken], rows: [
                .init(level: .campaign, day: Self.today, campaignID: "7", spend: "12.5"),
            ]))
            f.meta.seedAdAccount("act_999", FakeMetaAdAccount(currency: "BRL", readers: [Self.token], rows: []))
            try AdAccountStore.save(tenant: Self.tenant, account: "act_888", token: nil, keys: f.keys, connection: pg)
            try AdAccountStore.save(tenant: Self.tenant, account: "act_999", token: nil, keys: f.keys, connection: pg)
            #expect(throws: AdAccountStore.UnknownTenant.self) {
                try AdAccountStore.save(tenant: "nope", account: "act_1", token: nil, keys: f.keys, connection: pg)
            }
            let accounts = try AdAccountStore.load(keys: f.keys, connection: pg)
            #expect(accounts.map(\.tokenSource) == [.defaultPixel, .defaultPixel] && accounts.allSatisfy { $0.token == Self.pixelToken })
            #expect(!"\(accounts)".contains(Self.pixelToken))

            let results = try await Self.importer(f).importAll(tenant: Self.tenant)
            #expect(results.first?.outcome == .imported(rows: [.campaign: 1, .adset: 0, .ad: 0],
                                                        days: AdSpendPlan(account: "act_888", today: Self.today, count: 3).days))
            #expect(try f.value("SELECT currency || ' ' || spend::text FROM ad_spend WHERE ad_account = 'act_888'") == "USD 12.5")
            guard case .failed(let p)? = results.last?.outcome else { Issue.record("not failed: \(results)"); return }
            #expect(p.kind == .permission && p.code == 200)
            #expect(try f.value("SELECT last_error FROM ad_accounts WHERE id = 'act_999'")?.contains("ads_read") == true)
        }
    }

    @Test("revenue ÷ spend: the API's breakdown by campaign and the Números page show ROAS for utm_campaign = name|id")
    func roas() async throws {
        try await ConsoleFixture.run { f in
            try Self.plantTenant(f)
            f.meta.seedAdAccount(Self.account, FakeMetaAdAccount(currency: "BRL", readers: [Self.token], rows: Self.rows()))
            let pg = try PostgresConnection(f.databaseURL, applicationName: "adspend-test")
            defer { pg.close() }
            try AdAccountStore.save(tenant: Self.tenant, account: Self.account, token: Self.token, keys: f.keys, connection: pg)
            #expect(try await Self.importer(f).importAll(tenant: Self.tenant).first?.label == "imported")

            // A click on campaign 120210 (the UTMify convention: name|id) and its sale of R$ 300,30.
            let at = Date().addingTimeInterval(-7200)
            try DispatchStore().insertTouchpoints([
                TouchpointRow(envelopeID: "e1", tenant: Self.tenant, kind: "click", clickID: "c1",
                              utmJSON: #"{"utm_source":"FB","utm_campaign":"Promo|120210","utm_medium":"LAL|5501","utm_content":"Vídeo 1|9001"}"#,
                              occurredAt: at, linkSlug: "promo"),
            ], connection: pg)
            let ids = try SalesStore().upsertConversions([
                SalesStore.ConversionRow(conversion: Conversion(gateway: .hotmart, account: "a", transactionID: "HP1", status: .approved,
                                                                rawEventType: "PURCHASE_APPROVED", value: Decimal(string: "300.30")!,
                                                                currency: "BRL", productIDs: ["P1"], occurredAt: at + 60),
                                         tenant: Self.tenant, buyerHashedJSON: "{}", envelopeID: "w1"),
            ], connection: pg)
            let tp = try pg.query("SELECT id FROM touchpoints WHERE envelope_id = 'e1'")
            try SalesStore().insertMatches([.init(conversionID: ids[0], touchpointID: Int64(try tp.int(0, "id")!), method: "click_id", score: 1)],
                                           connection: pg)

            let key = try APIKeyStore().create(tenant: Self.tenant, name: "", connection: pg).key
            let r = try await f.client.execute(uri: "/api/v1/breakdown?by=utm_campaign", method: .get, headers: [.authorization: "Bearer \(key)"])
            let text = String(buffer: r.body)
            #expect(r.status == .ok)
            #expect(text.contains(#""value":"Promo|120210""#) && text.contains(#""spend":{"BRL":100.1}"#), "\(text)")
            #expect(text.contains(#""meta_name":"Promo""#), "Meta's name of the campaign the value carries: \(text)")
            #expect(text.contains(#"{"currency":"BRL","revenue":300.3,"spend":100.1,"profit":200.2,"roas":3,"roi":2,"cpa":100.1}"#), "\(text)")
            let ads = try await f.client.execute(uri: "/api/v1/breakdown?by=utm_content", method: .get, headers: [.authorization: "Bearer \(key)"])
            #expect(String(buffer: ads.body).contains(#""spend":{"BRL":60.03}"#) && String(buffer: ads.body).contains(#""meta_name":"Vídeo 1""#),
                    "\(String(buffer: ads.body))")

            try await f.owner()
            let browser = ConsoleBrowser(f.client)
            try await browser.get("/login")
            try await browser.post("/login", [("login", "dona"), ("password", "senha-segura-1")])
            let page = try await browser.get("/numbers?tenant=\(Self.tenant)")
            #expect(page.status == .ok)
            let row = browser.lastBody.components(separatedBy: "<tr>").first { $0.contains("Promo|120210") } ?? ""
            #expect(row.contains("100,10") && row.contains("300,30") && row.contains("<td>3,00</td>") && row.contains("200,20"), "\(row)")
            #expect(row.hasPrefix("<td>Promo<br>"), "Meta's name first, the UTM under it: \(row)")
            let adTable = browser.lastBody.components(separatedBy: "data-testid=\"numbers-ads\"").dropFirst().first ?? ""
            let ad = adTable.components(separatedBy: "<tr>").first { $0.contains("Vídeo 1|9001") } ?? ""
            #expect(ad.hasPrefix("<td>Vídeo 1<br>") && ad.contains("60,03") && ad.contains("<td>5,00</td>"),
                    "the ad's line: R$ 300,30 over its R$ 60,03 of spend: \(ad)")
            let adsetTable = browser.lastBody.components(separatedBy: "data-testid=\"numbers-adsets\"").dropFirst().first ?? ""
            let adset = adsetTable.components(separatedBy: "<tr>").first { $0.contains("LAL|5501") } ?? ""
            #expect(adset.hasPrefix("<td>Lookalike 1%<br>") && adset.contains("100,10") && adset.contains("<td>3,00</td>"), "\(adset)")
            #expect(browser.lastBody.contains("/go/promo"), "the tracking link's line")
        }
    }
}
