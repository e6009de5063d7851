public import Foundation

/// Everything the alert rules look at, gathered at one moment by the shell
/// (`AlertFactGatherer`): plain values, so the rules are pure functions over them.
///
/// ``observed`` says which rules' facts were actually read: a rule whose source failed this
/// round (Postgres down) neither fires nor resolves on missing data.
public struct AlertFacts: Sendable, Equatable {
    public var observed: Set<AlertRule>
    public var pausedPixels: [PausedPixel]
    public var deadLetters: [DeadLetterCount]
    public var streams: [StreamBacklog]
    public var matchRates: [MatchRate]
    public var gatewayAccounts: [GatewayActivity]
    public var webhookRejections: [WebhookRejections]
    public var ingestInstances: [IngestInstance]
    public var agingEvents: [AgingEvents]
    /// Pool bots the Telegram health check judged dead (``TelegramPoolHealth``).
    public var deadBots: [TelegramBotHealth]

    public init(observed: Set<AlertRule> = [], pausedPixels: [PausedPixel] = [], deadLetters: [DeadLetterCount] = [],
                streams: [StreamBacklog] = [], matchRates: [MatchRate] = [], gatewayAccounts: [GatewayActivity] = [],
                webhookRejections: [WebhookRejections] = [], ingestInstances: [IngestInstance] = [],
                agingEvents: [AgingEvents] = [], deadBots: [TelegramBotHealth] = []) {
        self.observed = observed
        self.pausedPixels = pausedPixels
        self.deadLetters = deadLetters
        self.streams = streams
        self.matchRates = matchRates
        self.gatewayAccounts = gatewayAccounts
        self.webhookRejections = webhookRejections
        self.ingestInstances = ingestInstances
        self.agingEvents = agingEvents
        self.deadBots = deadBots
    }
}
