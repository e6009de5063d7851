/// One `POST /_control` body: every member optional, applied in this order — `reset` first.
///
///     {"reset": {"records": PATH|null}}          forget programming and records; record to PATH
///     {"behaviour": {PIXEL|"*": BEHAVIOUR}}       per pixel ("*": every pixel without its own)
///     {"reject_prefixes": ["rej-", …]}            batches with such an event_id: 400 100/2804019
///     {"reject_ids": ["id", …]}                   the same for exact event_ids
///     {"expect_token": {PIXEL: SHA256HEX|null}}   only that token (else 190); null: any again
///     {"pixels": {PIXEL: NAME}}                   the Graph pixel read answers this pixel with NAME
///     {"latency_ms": N}                           slept before every events answer
///     {"mp_token": SHA256HEX}                    Mercado Pago's accepted token
///     {"ad_accounts": {ACT: AD_ACCOUNT}}          the insights read serves act_… (FakeMeta+Insights)
///
/// AD_ACCOUNT: `{"currency":"BRL","readers":[SHA256HEX, …],"rows":[{"level":"campaign",
/// "day":"2026-12-06","campaign_id":"120210","campaign_name":"Promo","spend":"33.37",
/// "impressions":"1000","clicks":"10"}, …]}` (ad sets and ads add `adset_id`, `adset_name`,
/// `ad_id`, `ad_name`).
///
/// BEHAVIOUR: `{"mode":"ok"}`, `{"mode":"status","status":503}`, `{"mode":"delay","ms":2000}`
/// (then accept, even if the client gave up), `{"mode":"graph","http":400,"code":4,
/// "subcode":null,"transient":true,"message":"…"}`, `{"mode":"fail_next","count":3,
/// "then":BEHAVIOUR}` (transient 500 code 2, then `then`).
struct FakeControlCommand: Decodable {
    struct Reset: Decodable {
        var records: String?
    }

    struct Behaviour: Decodable {
        var mode: String
        var status: Int?
        var ms: Int?
        var http: Int?
        var code: Int?
        var subcode: Int?
        var transient: Bool?
        var message: String?
        var count: Int?
        var then: [Behaviour]?

        enum CodingKeys: String, CodingKey {
            case mode, status, ms, http, code, subcode, transient, message, count, then
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            mode = try c.decodeIfPresent(String.self, forKey: .mode) ?? "ok"
            status = try c.decodeIfPresent(Int.self, forKey: .status)
            ms = try c.decodeIfPresent(Int.self, forKey: .ms)
            http = try c.decodeIfPresent(Int.self, forKey: .http)
            code = try c.decodeIfPresent(Int.self, forKey: .code)
            subcode = try c.decodeIfPresent(Int.self, forKey: .subcode)
            transient = try c.decodeIfPresent(Bool.self, forKey: .transient)
            message = try c.decodeIfPresent(String.self, forKey: .message)
            count = try c.decodeIfPresent(Int.self, forKey: .count)
            then = try c.decodeIfPresent(Behaviour.self, forKey: .then).map { [$0] }
        }

        /// The behaviour this spells, or why it spells none.
        func behaviour() throws(FakeServerError) -> FakeMetaBehaviour {
            switch mode {
            case "ok": return .ok
            case "status":
                guard let status else { throw FakeServerError("mode status needs \"status\"") }
                return .status(status)
            case "delay":
                guard let ms else { throw FakeServerError("mode delay needs \"ms\"") }
                return .delay(.milliseconds(ms))
            case "graph":
                guard let http, let code else { throw FakeServerError("mode graph needs \"http\" and \"code\"") }
                return .graphError(httpStatus: http, code: code, subcode: subcode, message: message ?? "fake error",
                                   isTransient: transient ?? false)
            case "fail_next":
                guard let count else { throw FakeServerError("mode fail_next needs \"count\"") }
                return .failNextRequests(count, then: try then?.first?.behaviour() ?? .ok)
            default:
                throw FakeServerError("unknown mode \(mode)")
            }
        }
    }

    var reset: Reset?
    var behaviour: [String: Behaviour]?
    var reject_prefixes: [String]?
    var reject_ids: [String]?
    var expect_token: [String: String?]?
    var pixels: [String: String]?
    var latency_ms: Int?
    var mp_token: String?
    var ad_accounts: [String: AdAccount]?

    struct AdAccount: Decodable {
        var currency: String
        var readers: [String]
        var rows: [Row]

        struct Row: Decodable {
            var level: String
            var day: String
            var campaign_id: String
            var campaign_name: String?
            var adset_id: String?
            var adset_name: String?
            var ad_id: String?
            var ad_name: String?
            var spend: String
            var impressions: String?
            var clicks: String?
        }

        func account() throws(FakeServerError) -> FakeMetaAdAccount {
            var rows: [FakeMetaInsightsRow] = []
            for r in self.rows {
                guard let level = FakeMetaInsightsRow.Level(rawValue: r.level) else { throw FakeServerError("unknown level \(r.level)") }
                rows.append(FakeMetaInsightsRow(
                    level: level, day: r.day, campaignID: r.campaign_id, campaignName: r.campaign_name ?? "", adsetID: r.adset_id ?? "",
                    adsetName: r.adset_name ?? "", adID: r.ad_id ?? "", adName: r.ad_name ?? "", spend: r.spend,
                    impressions: r.impressions ?? "0", clicks: r.clicks ?? "0"))
            }
            return FakeMetaAdAccount(currency: currency, readerFingerprints: readers, rows: rows)
        }
    }
}
