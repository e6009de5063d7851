public import Foundation

/// The read API's JSON (`/api/v1/…`, docs/openapi.yaml): totals written one way everywhere —
/// counts as integers, money as exact decimal numbers per currency (never through `Double`),
/// rates as numbers in 0…1. Pure, so the API's bytes are unit-tested.
public enum AnalyticsJSON {
    /// The members of one ``AnalyticsTotals`` (inside an object the caller opened).
    static func totals(_ t: AnalyticsTotals, into w: inout JSONWriter) {
        w.key("clicks"); w.int(t.clicks)
        w.key("page_events"); counts(t.pageEvents, into: &w)
        w.key("leads"); w.int(t.leads)
        w.key("checkouts"); w.int(t.checkouts)
        w.key("sales"); counts(t.sales, into: &w)
        w.key("revenue")
        w.beginObject()
        w.key("gross"); money(t.grossRevenue, into: &w)
        w.key("net"); money(t.netRevenue, into: &w)
        w.endObject()
        w.key("purchases_sent"); w.int(t.purchasesSent)
        w.key("sent"); counts(t.sent, into: &w)
        w.key("matches"); counts(t.matches, into: &w)
        w.key("match_rate")
        w.beginObject()
        for method in t.matches.keys.sorted() {
            w.key(method)
            if let rate = t.matchRate(method) { w.double(rate) } else { w.null() }
        }
        w.endObject()
        w.key("attempts"); counts(t.attempts, into: &w)
    }

    static func counts(_ values: [String: Int], into w: inout JSONWriter) {
        w.beginObject()
        for key in values.keys.sorted() { w.key(key); w.int(values[key] ?? 0) }
        w.endObject()
    }

    static func money(_ values: [String: Decimal], into w: inout JSONWriter) {
        w.beginObject()
        for key in values.keys.sorted() { w.key(key); w.decimal(values[key] ?? 0) }
        w.endObject()
    }

    static func period(_ tenant: String, _ from: Date, _ to: Date, into w: inout JSONWriter) {
        w.field("tenant", tenant)
        w.field("from", instant(from))
        w.field("to", instant(to))
    }

    public static func instant(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// `GET /api/v1/summary`.
    public static func summary(tenant: String, from: Date, to: Date, totals: AnalyticsTotals) -> String {
        var w = JSONWriter(profile: .stored, capacity: 1024)
        w.beginObject()
        period(tenant, from, to, into: &w)
        Self.totals(totals, into: &w)
        w.endObject()
        return w.text
    }

    /// `GET /api/v1/timeseries`: one point per bucket that has data.
    public static func series(tenant: String, from: Date, to: Date, bucket: AnalyticsBucket, groups: [AnalyticsGroup]) -> String {
        var w = JSONWriter(profile: .stored, capacity: 4096)
        w.beginObject()
        period(tenant, from, to, into: &w)
        w.field("interval", bucket.rawValue)
        w.key("points")
        w.beginArray()
        for g in groups {
            w.beginObject()
            w.field("at", g.bucket.map(instant) ?? "")
            Self.totals(g.totals, into: &w)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.text
    }

    /// `GET /api/v1/breakdown` and `/top-links`: one line per value of the dimension. With
    /// `spend` (by `utm_campaign` / `utm_content`: Meta's spend per campaign / ad id), each line
    /// also has its `spend` and its `returns` per currency (``CampaignReturn``); with `names`,
    /// its `meta_name` (Meta's name of that campaign / ad, null when not imported).
    public static func breakdown(tenant: String, from: Date, to: Date, by dimension: RollupDimension, groups: [AnalyticsGroup],
                                 spend: [String: [String: Decimal]]? = nil, names: [String: String]? = nil) -> String {
        var w = JSONWriter(profile: .stored, capacity: 4096)
        w.beginObject()
        period(tenant, from, to, into: &w)
        w.field("by", dimension.rawValue)
        w.key("rows")
        w.beginArray()
        for g in groups {
            w.beginObject()
            w.field("value", g.value ?? "")
            Self.totals(g.totals, into: &w)
            if let names {
                w.key("meta_name")
                if let name = AdSpendStore.name(forUTM: g.value, in: names) { w.string(name) } else { w.null() }
            }
            if let spend {
                let own = AdSpendStore.spend(forUTM: g.value, in: spend)
                w.key("spend"); money(own, into: &w)
                w.key("returns")
                returns(CampaignReturn.of(g.totals, spend: own), into: &w)
            }
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.text
    }

    /// ROAS, ROI, CPA and profit per currency with spend; a ratio without spend (or a CPA without
    /// sales) is null.
    static func returns(_ values: [CampaignReturn], into w: inout JSONWriter) {
        w.beginArray()
        for r in values {
            w.beginObject()
            w.field("currency", r.currency)
            w.key("revenue"); w.decimal(r.revenue)
            w.key("spend"); w.decimal(r.spend)
            w.key("profit"); w.decimal(r.profit)
            w.key("roas"); if let v = r.roas { w.double(v) } else { w.null() }
            w.key("roi"); if let v = r.roi { w.double(v) } else { w.null() }
            w.key("cpa"); if let v = r.cpa { w.decimal(v) } else { w.null() }
            w.endObject()
        }
        w.endArray()
    }
}

extension AnalyticsJSON {
    /// `GET /api/v1/match-quality`: per bucket, sale records, matched ones, and the rate by method.
    public static func matchQuality(tenant: String, from: Date, to: Date, bucket: AnalyticsBucket, groups: [AnalyticsGroup]) -> String {
        var w = JSONWriter(profile: .stored, capacity: 2048)
        w.beginObject()
        period(tenant, from, to, into: &w)
        w.field("interval", bucket.rawValue)
        w.key("points")
        w.beginArray()
        for g in groups where g.totals.sales.values.reduce(0, +) > 0 {
            w.beginObject()
            w.field("at", g.bucket.map(instant) ?? "")
            w.key("sales"); w.int(g.totals.sales.values.reduce(0, +))
            w.key("matched"); w.int(g.totals.matched)
            w.key("match_rate"); w.double(g.totals.matchRate() ?? 0)
            w.key("by_method")
            w.beginObject()
            for method in g.totals.matches.keys.sorted() { w.key(method); w.double(g.totals.matchRate(method) ?? 0) }
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.text
    }
}
