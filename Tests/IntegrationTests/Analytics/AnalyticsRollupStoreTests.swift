import Foundation
import Testing
import TrackhubCore

/// The rollup triggers (migration 12) under the real write paths of `DispatchStore` and
/// `SalesStore`: COPY and its `ON CONFLICT DO NOTHING` fallback, the conversion upsert, a match
/// replaced by a better one, the ledger COPY — each compared with the raw tables' facts and the
/// backfill, and a few numbers checked by hand.
@Suite("analytics rollups (Postgres)", .enabled(if: PostgresTestEnvironment.isConfigured, PostgresTestEnvironment.skipReason))
struct AnalyticsRollupStoreTests {
    static let at = Date(timeIntervalSince1970: 1_796_090_700)  // 2026-12-01 02:05 UTC

    static func click(_ envelope: String, _ id: String, slug: String, campaign: String, minutes: Double = 0) -> TouchpointRow {
        TouchpointRow(envelopeID: envelope, tenant: "shop", kind: "click", clickID: id,
                      utmJSON: "{\"utm_source\":\"fb\",\"utm_campaign\":\"\(campaign)\"}", occurredAt: at + minutes * 60, linkSlug: slug)
    }

    static func sale(_ transaction: String, _ status: ConversionStatus, _ value: String, utmSource: String? = nil) -> SalesStore.ConversionRow {
        var tracking = TrackingParameters()
        tracking.utmSource = utmSource
        return SalesStore.ConversionRow(
            conversion: Conversion(gateway: .hotmart, account: "main", transactionID: transaction, status: status, rawEventType: "X",
                                   value: Decimal(string: value)!, currency: "BRL", productIDs: ["P1"], tracking: tracking,
                                   occurredAt: at + 1800),
            tenant: "shop", buyerHashedJSON: "{}", envelopeID: "w-\(transaction)-\(status.rawValue)")
    }

    static func ledger(_ eventID: String, _ name: CAPIEventName, envelope: String, conversion: Int64?, _ outcome: LedgerOutcome) -> LedgerEntry {
        let event = OutboundEvent(pixel: "101", envelopeID: envelope, conversionID: conversion,
                                  event: CAPIEvent(eventName: name, eventTime: 1_796_090_700, eventId: eventID, actionSource: .systemGenerated,
                                                   userData: CAPIUserData(fbp: "fb.1.1796090700000.1")))
        return LedgerEntry(event: event, attempt: 1, outcome: outcome, includePayload: false)
    }

    /// Rollup rows as a comparable set (zero rows left by moved sales dropped).
    static func set(_ rows: [RollupRow]) -> Set<RollupRow> { Set(rows.filter { !$0.isZero }) }

    @Test("redelivered touchpoints, a redelivered sale, a refund, a replaced match, in-flight rows and repeated sends: rollups == raw facts == backfill")
    func rollupsEqualBackfill() async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let conn = try PostgresConnection(url)
            defer { conn.close() }
            try Migrator().migrate(conn)
            try conn.execute("INSERT INTO tenants (id, name) VALUES ('shop', 'Shop'); INSERT INTO pixels (id, tenant_id) VALUES ('101', 'shop')")
            let store = DispatchStore(), sales = SalesStore(), analytics = AnalyticsStore()

            let clicks = [Self.click("e1", "c1", slug: "ad-a", campaign: "120"), Self.click("e2", "c2", slug: "ad-a", campaign: "120"),
                          Self.click("e3", "c3", slug: "ad-b", campaign: "130", minutes: 70)]
            let lead = TouchpointRow(envelopeID: "e4", tenant: "shop", kind: "lead", clickID: "c1", occurredAt: Self.at + 60)
            try store.insertTouchpoints(clicks, connection: conn)
            // A redelivery: the COPY hits e1/e2, the fallback inserts only the lead.
            try conn.transaction { c in try store.insertTouchpoints(clicks + [lead], connection: c) }

            let ids = try sales.upsertConversions([Self.sale("T1", .approved, "197.10", utmSource: "ig"), Self.sale("T2", .approved, "10.31")],
                                                  connection: conn)
            _ = try sales.upsertConversions([Self.sale("T1", .approved, "197.10", utmSource: "ig")], connection: conn)  // redelivered
            _ = try sales.upsertConversions([Self.sale("T1", .refunded, "197.10")], connection: conn)
            let tp = try conn.query("SELECT id, envelope_id FROM touchpoints")
            var tpID: [String: Int64] = [:]
            for i in tp.indices { tpID[try tp.string(i, "envelope_id") ?? ""] = Int64(try tp.int(i, "id") ?? 0) }

            // T1: matched by e-mail to the lead, a retry, then a late click replaces the match; sent twice (a resend).
            try sales.insertMatches([.init(conversionID: ids[0], touchpointID: tpID["e4"]!, method: "email", score: 0.5)], connection: conn)
            try store.appendLedger([Self.ledger("hotmart.T1", .purchase, envelope: "w1", conversion: ids[0], .retryScheduled)], connection: conn)
            try sales.insertMatches([.init(conversionID: ids[0], touchpointID: tpID["e1"]!, method: "click_id", score: 1)], connection: conn)
            try sales.insertMatches([.init(conversionID: ids[0], touchpointID: tpID["e2"]!, method: "click_id", score: 0.9)], connection: conn)
            // Each request's events are written in flight first (counted under no metric), then their outcome.
            try store.appendLedger([Self.ledger("hotmart.T1", .purchase, envelope: "w1", conversion: ids[0], .inFlight),
                                    Self.ledger("c1", .pageView, envelope: "e1", conversion: nil, .inFlight)], connection: conn)
            try store.appendLedger([Self.ledger("hotmart.T1", .purchase, envelope: "w1", conversion: ids[0], .sent),
                                    Self.ledger("hotmart.T1", .purchase, envelope: "w1", conversion: ids[0], .sent),
                                    Self.ledger("c1", .pageView, envelope: "e1", conversion: nil, .sent),
                                    Self.ledger("hotmart.T2", .purchase, envelope: "w2", conversion: ids[1], .held)], connection: conn)
            try sales.insertMatches([.init(conversionID: ids[1], touchpointID: tpID["e3"]!, method: "click_id", score: 1)], connection: conn)

            let live = try analytics.rows(tenant: "shop", from: AnalyticsPeriod.earliest, to: AnalyticsPeriod.latest, connection: conn)
            let raw = try analytics.factsFromRawTables(tenant: "shop", from: AnalyticsPeriod.earliest, to: AnalyticsPeriod.latest, connection: conn)
            #expect(Self.set(live) == Self.set(raw))
            #expect(!live.isEmpty)

            let t = AnalyticsTotals(rows: live)
            #expect(t.clicks == 3 && t.leads == 1 && t.approved == 2 && t.refunded == 1)
            #expect(t.grossRevenue == ["BRL": Decimal(string: "207.41")!] && t.netRevenue == ["BRL": Decimal(string: "10.31")!])
            #expect(t.matches == ["click_id": 2] && t.purchasesSent == 1 && t.sent["PageView"] == 1)
            #expect(t.attempts == ["retry_scheduled": 1, "sent": 3, "held": 1], "in_flight rows count under no metric")
            // T1 now belongs to ad-a / campaign 120 (its click), T2 to ad-b / 130; the refund has no match: the gateway's UTMs.
            let approvedByLink = Dictionary(grouping: live.filter { $0.metric == .sale("approved") }, by: \.key.link).mapValues { AnalyticsTotals(rows: $0).grossRevenue }
            #expect(approvedByLink == ["ad-a": ["BRL": Decimal(string: "197.10")!], "ad-b": ["BRL": Decimal(string: "10.31")!]])
            #expect(live.filter { $0.metric == .clicks }.map(\.key.utmCampaign).sorted() == ["120", "130"])

            // The daily rollups are the hourly ones per UTC day; a read over whole days (and a
            // ragged one: the day before's last hour, then days) gives the hourly rows' totals.
            try Self.expectDailyIsHourly(conn)
            let fromDays = try analytics.groups(tenant: "shop", from: AnalyticsPeriod.earliest, to: AnalyticsPeriod.latest, connection: conn).first?.totals
            #expect(fromDays == t, "\(String(describing: fromDays)) vs \(t)")
            // Hourly buckets without a dimension are read from the hourly totals: the same numbers per hour.
            let byHour = try analytics.groups(tenant: "shop", from: AnalyticsPeriod.earliest, to: AnalyticsPeriod.latest, bucket: .hour, connection: conn)
            let perHourFromRows = Dictionary(grouping: live, by: \.key.hour).mapValues { AnalyticsTotals(rows: $0) }.filter { $0.value != AnalyticsTotals() }
            let perHourFromTotals = Dictionary(uniqueKeysWithValues: byHour.compactMap { g in g.bucket.map { ($0, g.totals) } })
                .filter { $0.value != AnalyticsTotals() }
            #expect(perHourFromTotals == perHourFromRows && !perHourFromTotals.isEmpty)
            let ragged = RollupSpan.dayStart(Self.at).addingTimeInterval(-3600)
            #expect(try analytics.groups(tenant: "shop", from: ragged, to: AnalyticsPeriod.latest, connection: conn).first?.totals == t)
            let byCampaign = try analytics.groups(tenant: "shop", from: AnalyticsPeriod.earliest, to: AnalyticsPeriod.latest, by: .utmCampaign, connection: conn)
            let fromDaily = Dictionary(uniqueKeysWithValues: byCampaign.filter { $0.totals != AnalyticsTotals() }.map { ($0.value ?? "", $0.totals) })
            let fromHourly = Dictionary(grouping: live, by: \.key.utmCampaign).mapValues { AnalyticsTotals(rows: $0) }
            #expect(fromDaily == fromHourly && fromDaily.count >= 2)

            // The backfill rebuilds the same rows; a range rebuild touches only its hours.
            let written = try analytics.backfill(tenant: "shop", from: AnalyticsPeriod.earliest, to: AnalyticsPeriod.latest, connection: conn)
            #expect(written == Self.set(raw).count)
            let rebuilt = try analytics.rows(tenant: "shop", from: AnalyticsPeriod.earliest, to: AnalyticsPeriod.latest, connection: conn)
            #expect(Set(rebuilt) == Self.set(live))
            try conn.execute("DELETE FROM analytics_hourly; DELETE FROM analytics_daily; DELETE FROM analytics_hourly_totals")
            let firstHour = Self.at - 300
            try analytics.backfill(tenant: "shop", from: firstHour, to: firstHour + 3600, connection: conn)
            let partial = try analytics.rows(tenant: "shop", from: AnalyticsPeriod.earliest, to: AnalyticsPeriod.latest, connection: conn)
            #expect(!partial.isEmpty && partial.allSatisfy { $0.key.hour == firstHour })
            #expect(Set(partial) == Self.set(live).filter { $0.key.hour == firstHour })
            try Self.expectDailyIsHourly(conn)
        }
    }

    /// `analytics_daily` holds exactly the non-zero sums of `analytics_hourly` per UTC day, and
    /// `analytics_hourly_totals` those per hour, metric and currency.
    static func expectDailyIsHourly(_ conn: PostgresConnection, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let totals = "SELECT tenant_id, hour, metric, currency, n, amount FROM analytics_hourly_totals WHERE NOT (n = 0 AND amount = 0)"
        let summed = """
            SELECT tenant_id, hour, metric, currency, sum(n), sum(amount) FROM analytics_hourly GROUP BY 1, 2, 3, 4
            HAVING NOT (sum(n) = 0 AND sum(amount) = 0)
            """
        let onlyTotals = try conn.query("SELECT count(*)::int AS n FROM ((\(totals)) EXCEPT (\(summed))) x").int(0, "n")
        let onlySummed = try conn.query("SELECT count(*)::int AS n FROM ((\(summed)) EXCEPT (\(totals))) x").int(0, "n")
        let totalRows = try conn.query("SELECT count(*)::int AS n FROM analytics_hourly_totals").int(0, "n") ?? 0
        #expect(onlyTotals == 0 && onlySummed == 0 && totalRows > 0,
                "hourly totals not in hourly: \(onlyTotals ?? -1), hourly sums not in totals: \(onlySummed ?? -1)", sourceLocation: sourceLocation)
        let daily = "SELECT tenant_id, day, metric, link, utm_source, utm_medium, utm_campaign, utm_content, gateway, product, currency, n, amount FROM analytics_daily WHERE NOT (n = 0 AND amount = 0)"
        let hourly = """
            SELECT tenant_id, (hour AT TIME ZONE 'UTC')::date, metric, link, utm_source, utm_medium, utm_campaign, utm_content, gateway, product, currency,
                   sum(n), sum(amount) FROM analytics_hourly GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 HAVING NOT (sum(n) = 0 AND sum(amount) = 0)
            """
        let onlyDaily = try conn.query("SELECT count(*)::int AS n FROM ((\(daily)) EXCEPT (\(hourly))) x").int(0, "n")
        let onlyHourly = try conn.query("SELECT count(*)::int AS n FROM ((\(hourly)) EXCEPT (\(daily))) x").int(0, "n")
        let rows = try conn.query("SELECT count(*)::int AS n FROM analytics_daily").int(0, "n") ?? 0
        if onlyDaily != 0 || onlyHourly != 0 {
            let diff = try conn.query("SELECT d::text AS d FROM ((\(daily)) EXCEPT (\(hourly))) d UNION ALL SELECT 'hourly: ' || h::text FROM ((\(hourly)) EXCEPT (\(daily))) h")
            for i in diff.indices { print("[daily != hourly] \(try diff.string(i, "d") ?? "")") }

        }
        #expect(onlyDaily == 0 && onlyHourly == 0 && rows > 0, "daily rows not in hourly: \(onlyDaily ?? -1), hourly not in daily: \(onlyHourly ?? -1)",
                sourceLocation: sourceLocation)
    }
}
