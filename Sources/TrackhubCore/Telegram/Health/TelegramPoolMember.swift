/// A bot to check: named in an active link's Telegram pool, with the token of its
/// `gateway: telegram` account (`api_token_env`/`api_token_file`) when one is configured.
public struct TelegramPoolMember: Sendable, Equatable, CustomStringConvertible {
    public var bot: String
    public var tenant: String
    /// nil: the bot cannot be checked (``TelegramBotCheck/noToken``).
    public var token: TelegramBotToken?
    /// The account's `settings.webhook_url`: when set, `getWebhookInfo` is compared with it.
    public var webhookURL: String?

    public init(bot: String, tenant: String, token: TelegramBotToken?, webhookURL: String? = nil) {
        self.bot = bot
        self.tenant = tenant
        self.token = token
        self.webhookURL = webhookURL
    }

    /// Every bot of every active Telegram link, once (by username, first tenant in slug order),
    /// with its account's token. Pure.
    public static func members(of config: DispatchConfig) -> [TelegramPoolMember] {
        var out: [String: TelegramPoolMember] = [:]
        for link in config.links.values.sorted(by: { $0.slug < $1.slug }) where link.active {
            guard case .telegram(let bots, _)? = link.destination else { continue }
            for bot in bots where out[bot.username] == nil {
                let account = config.gatewayAccounts[DispatchConfig.GatewayAccount.key(gateway: Gateway.telegram.rawValue, account: bot.username)]
                let usable = account.flatMap { $0.tenant == link.tenant ? $0 : nil }
                out[bot.username] = TelegramPoolMember(
                    bot: bot.username, tenant: link.tenant, token: usable?.apiToken.flatMap { $0.isEmpty ? nil : TelegramBotToken($0) },
                    webhookURL: usable.flatMap { TelegramBotSettings($0.settings).webhookURL })
            }
        }
        return out.keys.sorted().compactMap { out[$0] }
    }

    public var description: String { "TelegramPoolMember(\(bot), tenant: \(tenant), token: \(token == nil ? "none" : "<redacted>"))" }
}
