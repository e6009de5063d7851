public import Foundation
public import TrackhubCore

/// The alert rules' fixtures, shared by the engine's unit tests and the delivery tests: for each rule, facts where it holds, facts just short of its threshold, and facts where it
/// is clear, all at ``now``.
public enum AlertRuleFixtures {
    /// Wednesday 2026-12-02 15:00 at -03:00 (business hours).
    public static let now = Date(timeIntervalSince1970: 1_796_234_400)

    public static func holding(_ rule: AlertRule) -> AlertFacts {
        var f = AlertFacts(observed: [rule])
        switch rule {
        case .pixelPaused: f.pausedPixels = [.init(tenant: "loja", pixel: "111", reason: "token (190/463)", parked: 12)]
        case .deadLetters: f.deadLetters = [.init(reason: "invalid", count: 3)]
        case .consumerLag: f.streams = [.init(stream: "th:ingest:high", entries: 40, oldestAt: now.addingTimeInterval(-6 * 60))]
        case .matchRateDrop: f.matchRates = [.init(tenant: "loja", recentSales: 40, recentMatched: 20, baselineSales: 300, baselineMatched: 270)]
        case .gatewaySilent:
            f.gatewayAccounts = [.init(tenant: "loja", gateway: "hotmart", account: "main", lastSaleAt: now.addingTimeInterval(-5 * 3600),
                                       salesLast7Days: 70)]
        case .webhookAuthFailures: f.webhookRejections = [.init(tenant: "loja", gateway: "kiwify", account: "k1", count: 9)]
        case .ingestSpooling: f.ingestInstances = [.init(instance: "ingestd@1", spoolPending: 250, redisConnected: false, reportedAt: now)]
        case .eventsNearExpiry: f.agingEvents = [.init(tenant: "loja", pixel: "111", count: 7, oldestEventAt: now.addingTimeInterval(-121 * 3600))]
        case .telegramBotDown:
            f.deadBots = [TelegramBotHealth(bot: "loja_vendas_bot", tenant: "loja", status: .dead, since: now.addingTimeInterval(-300),
                                            consecutiveFailures: 1, reason: "unauthorized", checkedAt: now)]
        }
        return f
    }

    public static func justShort(_ rule: AlertRule) -> AlertFacts {
        var f = AlertFacts(observed: [rule])
        switch rule {
        case .pixelPaused: f.pausedPixels = []
        case .deadLetters: f.deadLetters = [.init(reason: "invalid", count: 0)]
        case .consumerLag: f.streams = [.init(stream: "th:ingest:high", entries: 40, oldestAt: now.addingTimeInterval(-4 * 60))]
        case .matchRateDrop: f.matchRates = [.init(tenant: "loja", recentSales: 40, recentMatched: 26, baselineSales: 300, baselineMatched: 270)]
        case .gatewaySilent:
            f.gatewayAccounts = [.init(tenant: "loja", gateway: "hotmart", account: "main", lastSaleAt: now.addingTimeInterval(-3 * 3600),
                                       salesLast7Days: 70)]
        case .webhookAuthFailures: f.webhookRejections = [.init(tenant: "loja", gateway: "kiwify", account: "k1", count: 4)]
        case .ingestSpooling: f.ingestInstances = [.init(instance: "ingestd@1", spoolPending: 0, redisConnected: true, reportedAt: now.addingTimeInterval(-10))]
        case .eventsNearExpiry: f.agingEvents = [.init(tenant: "loja", pixel: "111", count: 7, oldestEventAt: now.addingTimeInterval(-119 * 3600))]
        case .telegramBotDown:
            // Failing, not yet judged dead: still in rotation, no alert.
            f.deadBots = [TelegramBotHealth(bot: "loja_vendas_bot", tenant: "loja", status: .live, since: now.addingTimeInterval(-3600),
                                            consecutiveFailures: 2, reason: "transport", checkedAt: now)]
        }
        return f
    }

    /// Nothing wrong: the rule's source was read and found nothing.
    public static func clear(_ rule: AlertRule) -> AlertFacts { AlertFacts(observed: [rule]) }
}
