import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TrackhubCore

/// `dispatchd telegram register [--bot NAME]`: points bots' webhooks at Trackhub (`setWebhook`
/// with the bot's `webhook_url`, its secret token and `allowed_updates`), then checks with
/// `getWebhookInfo` (docs/TELEGRAM.md). `dispatchd apply` runs the same registration for the
/// bots whose account says `register_webhook: true`.
struct TelegramCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "telegram", abstract: "Telegram bots of links (docs/TELEGRAM.md).",
                                                    subcommands: [Register.self])

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register the webhook of every bot with register_webhook: true (or of --bot) with Telegram, then check it.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Only this bot (its username, the account of its gateway: telegram entry), even without register_webhook.")
        var bot: String?

        func run() async throws {
            let settings: BaseSettings
            let resolver: SettingsResolver
            do {
                resolver = try common.resolver()
                settings = try BaseSettings(resolver)
            } catch { throw fail("telegram register", error) }
            LogfmtLogHandler.bootstrap(level: settings.logLevel)
            let results: [TelegramWebhookRegistrar.Result]
            do {
                results = try await TelegramRegistration.run(settings: settings, resolver: resolver, only: bot)
            } catch {
                throw fail("telegram register", error)
            }
            if results.isEmpty {
                print(bot.map { "nenhum bot \($0) configurado (gateway: telegram) / no bot \($0) is configured (gateway: telegram)" }
                      ?? "nenhum bot com register_webhook: true / no bot has register_webhook: true")
                if bot != nil { throw ExitCode(1) }
                return
            }
            for result in results { print(result) }
            if results.contains(where: { !$0.registered }) { throw ExitCode(1) }
        }
    }
}

/// The registration both `dispatchd telegram register` and `dispatchd apply` run: reads the
/// stored configuration (tokens and secrets opened with the key ring), plans each bot
/// (``TelegramWebhookPlan``) and calls Telegram through ``CurlTelegramClient`` on a curl pool
/// of its own (never the cooperative pool).
enum TelegramRegistration {
    static func run(settings: BaseSettings, resolver: SettingsResolver, only bot: String?) async throws -> [TelegramWebhookRegistrar.Result] {
        let loopbackHTTP = try resolver.bool(DispatchSettings.allowLoopbackHTTP)
        let baseURL = try resolver.outboundURL(DispatchSettings.telegramBaseURL, allowLoopbackHTTP: loopbackHTTP)
        let keys = try settings.keys()
        let config = try await AdminPools.with(settings, application: "telegram") { pools in
            try await pools.postgres.withConnection { try ConfigRepository.loadDispatchConfig(connection: $0, keys: keys) }
        }
        let plans: [TelegramWebhookPlan] = config.gatewayAccounts.values
            .filter { account in
                account.gateway == .telegram && (bot.map { $0 == account.account } ?? TelegramBotSettings(account.settings).registerWebhook)
            }
            .sorted { $0.account < $1.account }
            .map { account in
                let context = SealContext.gatewaySecret(tenant: account.tenant, gateway: account.gateway.rawValue, account: account.account)
                let secret = account.webhookSecrets?.first.flatMap { try? keys.openString($0, for: context) }
                return TelegramWebhookPlan.plan(account, secret: secret, allowLoopbackHTTP: loopbackHTTP)
            }
        guard !plans.isEmpty else { return [] }
        let http = try CurlClientPool(size: 1, userAgent: "trackhub-dispatchd")
        let registrar = TelegramWebhookRegistrar(api: CurlTelegramClient(http: http, baseURL: baseURL))
        return try await ServiceGroup.withRunning([http], logger: Logger(label: "dispatchd.telegram")) {
            var results: [TelegramWebhookRegistrar.Result] = []
            for plan in plans { results.append(await registrar.register(plan)) }
            return results
        }
    }
}
