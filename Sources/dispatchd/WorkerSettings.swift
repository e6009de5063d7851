import Foundation
import TrackhubCore

/// `dispatchd run`'s own settings (``DispatchSettings/worker``), checked by the table and
/// handed to the components they configure.
struct WorkerSettings {
    typealias S = DispatchSettings
    let consumer: String
    let senders: Int
    let postgresConnections: Int
    let configRefresh: Duration
    let adminHost: String
    let adminPort: Int
    /// Idle and header-read timeout of the admin listener's connections.
    let httpIdleTimeout: Duration
    let sender: EventSender.Configuration
    let consumerConfiguration: ConsumerService.Configuration
    let sales: SalesProcessor.Configuration
    let alerts: AlertService.Configuration
    /// Where alerts are POSTed as JSON besides Telegram; nil: no webhook.
    let alertWebhookURL: String?
    /// The Telegram Bot API the alerts use.
    let alertTelegramBaseURL: String
    /// The ad spend import (one instance at a time, by its own lease).
    let adSpend: AdSpendService.Configuration
    /// The Telegram Bot API of the links' bots, and their health check (one instance at a time).
    let telegramBaseURL: String
    let telegramHealth: TelegramHealthService.Configuration
    /// Relaying bot updates to the bots' own backends (`forward_url`).
    let telegramForward: TelegramForwardService.Configuration

    init(_ s: SettingsResolver) throws {
        let loopbackHTTP = try s.bool(S.allowLoopbackHTTP)
        consumer = try s.text(S.consumer, fallback: ProcessInfo.processInfo.hostName)
        senders = try s.int(S.senders)
        postgresConnections = try s.int(S.postgresConnections)
        configRefresh = try s.duration(S.configRefreshMs)
        adminHost = try s.text(S.adminHost)
        adminPort = try s.int(S.adminPort)
        httpIdleTimeout = try s.duration(SharedSettings.httpIdleTimeoutMs)
        sender = EventSender.Configuration(
            graphBaseURL: try s.outboundURL(S.graphBaseURL, allowLoopbackHTTP: loopbackHTTP), graphVersion: try s.text(S.graphVersion),
            timeout: try s.duration(S.sendTimeoutMs),
            connectTimeout: try s.duration(S.connectTimeoutMs),
            retryPolicy: RetryPolicy(base: try s.duration(S.retryBaseMs), cap: try s.duration(S.retryCapMs),
                                     maxAttempts: try s.int(S.retryMaxAttempts)),
            throttle: ThrottleBackoff(base: try s.duration(S.throttlePauseMs), cap: try s.duration(S.throttlePauseCapMs)))
        sales = SalesProcessor.Configuration(
            attributionWindow: TimeInterval(try s.int(S.attributionWindowHours) * 3600),
            mercadoPagoBaseURL: try s.outboundURL(S.mercadoPagoBaseURL, allowLoopbackHTTP: loopbackHTTP),
            scoreThreshold: try s.double(S.matchScoreThreshold),
            lateClickHold: try s.duration(S.lateClickHoldMs),
            lateClickRecheck: try s.duration(S.lateClickRecheckMs))
        consumerConfiguration = ConsumerService.Configuration(
            consumerName: consumer, readCount: try s.int(S.readCount),
            claimMinIdle: try s.duration(S.claimIdleMs),
            claimInterval: try s.duration(S.claimIntervalMs),
            retention: try s.duration(S.streamRetentionMs),
            deliveryCap: DeliveryCap(maxDeliveries: try s.int(S.maxDeliveries)))
        var t = AlertThresholds()
        t.deadLettersPerHour = try s.int(S.alertDeadLettersPerHour)
        t.consumerLagMinutes = try s.int(S.alertConsumerLagMinutes)
        t.matchRateDropPercent = try s.int(S.alertMatchRateDropPercent)
        t.matchRateMinSales = try s.int(S.alertMatchRateMinSales)
        t.gatewaySilentBusinessHours = try s.int(S.alertGatewaySilentHours)
        t.gatewayUsualSalesPerDay = try s.int(S.alertGatewayUsualSalesPerDay)
        t.businessHourStart = try s.int(S.alertBusinessHourStart)
        t.businessHourEnd = try s.int(S.alertBusinessHourEnd)
        t.businessUTCOffsetHours = try s.int(S.alertBusinessUTCOffset)
        t.webhookAuthFailures = try s.int(S.alertWebhookAuthFailures)
        t.webhookAuthWindowMinutes = try s.int(S.alertWebhookAuthWindowMinutes)
        t.ingestReportStaleSeconds = try s.int(S.alertIngestStaleSeconds)
        t.nearExpiryHours = try s.int(S.alertNearExpiryHours)
        t.repeatMinutes = try s.int(S.alertRepeatMinutes)
        t.repeatCapMinutes = try s.int(S.alertRepeatCapMinutes)
        t.resolveAfterSeconds = try s.int(S.alertResolveAfterSeconds)
        guard t.businessHourEnd > t.businessHourStart else {
            throw SettingError(setting: S.alertBusinessHourEnd, reason: "must be after alert-business-hour-start")
        }
        var alerts = AlertService.Configuration(interval: try s.duration(S.alertIntervalMs), leaseTTL: try s.duration(S.alertLeaseMs), thresholds: t)
        alerts.dailySummaryHour = try s.int(S.alertDailySummaryHour)
        self.alerts = alerts
        alertTelegramBaseURL = try s.outboundURL(S.alertTelegramBaseURL, allowLoopbackHTTP: loopbackHTTP)
        adSpend = AdSpendService.Configuration(
            importer: AdSpendImporter.Configuration(graphBaseURL: sender.graphBaseURL, graphVersion: sender.graphVersion,
                                                    days: try s.int(S.adSpendDays)),
            interval: try s.duration(S.adSpendIntervalMs), leaseTTL: try s.duration(S.adSpendLeaseMs))
        telegramBaseURL = try s.outboundURL(S.telegramBaseURL, allowLoopbackHTTP: loopbackHTTP)
        telegramHealth = TelegramHealthService.Configuration(
            interval: try s.duration(S.telegramHealthIntervalMs), leaseTTL: try s.duration(S.telegramHealthLeaseMs),
            deadAfter: try s.int(S.telegramHealthFailures))
        telegramForward = TelegramForwardService.Configuration(allowLoopbackHTTP: loopbackHTTP)
        alertWebhookURL = try s.optionalText(S.alertWebhookURL)
        if let url = alertWebhookURL, let problem = OutboundURLRule.problem(url, allowLoopbackHTTP: loopbackHTTP) {
            throw SettingError(setting: S.alertWebhookURL, reason: problem)
        }
    }
}
