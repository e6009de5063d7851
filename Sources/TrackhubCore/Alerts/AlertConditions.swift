public import Foundation

/// The rules themselves: which conditions hold in a snapshot of facts, under the thresholds.
/// Pure; one function per rule so each can be read next to its test.
public enum AlertConditions {
    /// Every condition that holds, sorted by key.
    public static func derive(_ facts: AlertFacts, thresholds t: AlertThresholds, now: Date) -> [AlertCondition] {
        var out: [AlertCondition] = []
        out += pixelPaused(facts.pausedPixels)
        out += deadLetters(facts.deadLetters, t)
        out += consumerLag(facts.streams, t, now: now)
        out += matchRateDrop(facts.matchRates, t)
        out += gatewaySilent(facts.gatewayAccounts, t, now: now)
        out += webhookAuthFailures(facts.webhookRejections, t)
        out += ingestSpooling(facts.ingestInstances, t, now: now)
        out += eventsNearExpiry(facts.agingEvents, t, now: now)
        out += telegramBotDown(facts.deadBots, t)
        return out.filter { facts.observed.contains($0.key.rule) }.sorted { $0.key < $1.key }
    }

    /// Immediately, for every pixel paused until a new token.
    static func pixelPaused(_ pixels: [AlertFacts.PausedPixel]) -> [AlertCondition] {
        pixels.map {
            AlertCondition(AlertKey(.pixelPaused, tenant: $0.tenant, subject: $0.pixel),
                           values: ["pixel": $0.pixel, "reason": $0.reason, "parked": String($0.parked)])
        }
    }

    /// One operator alert per dead-letter reason with at least the threshold in the last hour.
    static func deadLetters(_ counts: [AlertFacts.DeadLetterCount], _ t: AlertThresholds) -> [AlertCondition] {
        counts.filter { $0.count >= max(1, t.deadLettersPerHour) }.map {
            AlertCondition(AlertKey(.deadLetters, tenant: nil, subject: $0.reason), values: ["reason": $0.reason, "count": String($0.count)])
        }
    }

    /// A stream whose oldest unprocessed entry waited longer than the threshold.
    static func consumerLag(_ streams: [AlertFacts.StreamBacklog], _ t: AlertThresholds, now: Date) -> [AlertCondition] {
        streams.compactMap { s in
            guard s.entries > 0, let oldest = s.oldestAt else { return nil }
            let minutes = Int(now.timeIntervalSince(oldest) / 60)
            guard minutes >= t.consumerLagMinutes else { return nil }
            return AlertCondition(AlertKey(.consumerLag, tenant: nil, subject: s.stream),
                                  values: ["stream": s.stream, "entries": String(s.entries), "minutes": String(minutes)])
        }
    }

    /// The 24 h match rate below the 7-day baseline by more than the threshold, when both have
    /// enough sales to mean something.
    static func matchRateDrop(_ rates: [AlertFacts.MatchRate], _ t: AlertThresholds) -> [AlertCondition] {
        rates.compactMap { r in
            let minSales = max(1, t.matchRateMinSales)
            guard r.recentSales >= minSales, r.baselineSales >= minSales, r.baselineMatched > 0 else { return nil }
            let recent = Double(r.recentMatched) / Double(r.recentSales)
            let baseline = Double(r.baselineMatched) / Double(r.baselineSales)
            guard recent < baseline * (1 - Double(t.matchRateDropPercent) / 100) else { return nil }
            return AlertCondition(AlertKey(.matchRateDrop, tenant: r.tenant, subject: r.tenant), values: [
                "recent_percent": String(Int((recent * 100).rounded())), "baseline_percent": String(Int((baseline * 100).rounded())),
                "recent_sales": String(r.recentSales),
            ])
        }
    }

    /// An account that averages at least the usual sales a day and sold nothing for the
    /// threshold's business hours.
    static func gatewaySilent(_ accounts: [AlertFacts.GatewayActivity], _ t: AlertThresholds, now: Date) -> [AlertCondition] {
        let hours = BusinessHours(startHour: t.businessHourStart, endHour: t.businessHourEnd, utcOffsetHours: t.businessUTCOffsetHours)
        return accounts.compactMap { a in
            guard a.salesLast7Days >= 7 * max(1, t.gatewayUsualSalesPerDay), let last = a.lastSaleAt else { return nil }
            let from = max(last, now.addingTimeInterval(-30 * 86_400))
            let silent = Int(hours.seconds(from: from, to: now) / 3600)
            guard silent >= max(1, t.gatewaySilentBusinessHours) else { return nil }
            let subject = "\(a.gateway)/\(a.account)"
            return AlertCondition(AlertKey(.gatewaySilent, tenant: a.tenant, subject: subject), values: [
                "gateway": a.gateway, "account": a.account, "business_hours": String(silent), "sales_7d": String(a.salesLast7Days),
            ])
        }
    }

    /// At least the threshold of refused webhooks on one account in the window.
    static func webhookAuthFailures(_ rejections: [AlertFacts.WebhookRejections], _ t: AlertThresholds) -> [AlertCondition] {
        rejections.filter { $0.count >= max(1, t.webhookAuthFailures) }.map { r in
            AlertCondition(AlertKey(.webhookAuthFailures, tenant: r.tenant, subject: "\(r.gateway)/\(r.account)"), values: [
                "gateway": r.gateway, "account": r.account, "count": String(r.count), "minutes": String(t.webhookAuthWindowMinutes),
            ])
        }
    }

    /// An instance spooling (events kept on its disk, Redis unreachable or refusing writes) or
    /// whose last report is stale.
    static func ingestSpooling(_ instances: [AlertFacts.IngestInstance], _ t: AlertThresholds, now: Date) -> [AlertCondition] {
        instances.compactMap { i in
            let age = Int(now.timeIntervalSince(i.reportedAt))
            let stale = age >= t.ingestReportStaleSeconds
            guard i.spoolPending > 0 || !i.redisConnected || stale else { return nil }
            return AlertCondition(AlertKey(.ingestSpooling, tenant: nil, subject: i.instance), values: [
                "instance": i.instance, "spool_pending": String(i.spoolPending), "redis_connected": String(i.redisConnected),
                "report_age_seconds": String(max(0, age)), "stale": String(stale),
            ])
        }
    }

    /// Immediately, for every bot out of rotation; "since" in the business hours' local time.
    static func telegramBotDown(_ bots: [TelegramBotHealth], _ t: AlertThresholds) -> [AlertCondition] {
        bots.filter { $0.status == .dead }.map { b in
            AlertCondition(AlertKey(.telegramBotDown, tenant: b.tenant, subject: b.bot), values: [
                "bot": b.bot, "since": localTime(b.since, utcOffsetHours: t.businessUTCOffsetHours), "reason": b.reason ?? "unknown",
                "failures": String(b.consecutiveFailures),
            ])
        }
    }

    /// `dd/MM HH:mm` at the business hours' UTC offset (what the seller's clock shows).
    static func localTime(_ date: Date, utcOffsetHours: Int) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(secondsFromGMT: utcOffsetHours * 3600)
        f.dateFormat = "dd/MM HH:mm"
        return f.string(from: date)
    }

    /// Waiting events of a pixel whose oldest event time passed the threshold.
    static func eventsNearExpiry(_ aging: [AlertFacts.AgingEvents], _ t: AlertThresholds, now: Date) -> [AlertCondition] {
        aging.compactMap { a in
            let ageHours = Int(now.timeIntervalSince(a.oldestEventAt) / 3600)
            guard a.count > 0, ageHours >= t.nearExpiryHours else { return nil }
            let left = max(0, Int(MetaLimits.meta.eventMaxAge.components.seconds / 3600) - ageHours)
            return AlertCondition(AlertKey(.eventsNearExpiry, tenant: a.tenant, subject: a.pixel), values: [
                "pixel": a.pixel, "count": String(a.count), "age_hours": String(ageHours), "hours_left": String(left),
            ])
        }
    }
}
