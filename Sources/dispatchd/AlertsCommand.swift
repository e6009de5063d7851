import ArgumentParser
import Foundation
import TrackhubCore

/// `dispatchd alerts telegram|history`: where alerts go on Telegram, and what was sent.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alerts", abstract: "Alert destinations and history (docs/ALERTS.md).",
                                                    subcommands: [Telegram.self, History.self])

    /// The bot token is read from `TRACKHUB_ALERT_TELEGRAM_TOKEN` (never a flag: flags show in
    /// `ps`), checked with `getMe`-free shape rules, and stored sealed.
    struct Telegram: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a tenant's alerts (or, with --operator, every alert) to a Telegram chat; the bot token comes from TRACKHUB_ALERT_TELEGRAM_TOKEN.")
        @OptionGroup var common: CommonOptions
        @Option(help: "The tenant whose alerts and daily summary go to the chat.") var tenant: String?
        @Flag(help: "The operator's chat: every alert of every tenant.") var `operator` = false
        @Option(help: "The chat id (a group is negative: -100…).") var chatId: String?
        @Flag(help: "Stop sending to this scope's chat.") var remove = false

        func validate() throws {
            guard (tenant != nil) != `operator` else { throw ValidationError("choose one of --tenant or --operator") }
            guard remove || chatId.map({ !$0.isEmpty }) == true else { throw ValidationError("--chat-id is required (or --remove)") }
        }

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("alerts telegram", error) }
            let scope = tenant ?? AlertTelegramChat.operatorScope
            do {
                if remove {
                    let removed = try await AdminPools.with(settings, application: "alerts") { pools in
                        try await pools.postgres.withConnection { try AlertTelegramChat.remove(scope: scope, connection: $0) }
                    }
                    print(removed ? "alerts for \(scope) no longer go to Telegram" : "no Telegram chat was set for \(scope)")
                    return
                }
                guard let secret = ProcessInfo.processInfo.environment["TRACKHUB_ALERT_TELEGRAM_TOKEN"], !secret.isEmpty else {
                    throw ValidationError("set TRACKHUB_ALERT_TELEGRAM_TOKEN to the bot's token (from @BotFather)")
                }
                let token = TelegramBotToken(secret)
                guard token.isWellFormed else { throw ValidationError("TRACKHUB_ALERT_TELEGRAM_TOKEN is not a bot token (digits:secret)") }
                let keys = try settings.keys()
                let chat = AlertTelegramChat(scope: scope, chatID: chatId ?? "", token: token)
                try await AdminPools.with(settings, application: "alerts") { pools in
                    try await pools.postgres.withConnection { try AlertTelegramChat.save(chat, keys: keys, connection: $0) }
                }
                print("alerts for \(scope) go to Telegram chat \(chat.chatID) (\(token), sealed)")
            } catch let error as ValidationError { throw error } catch { throw fail("alerts telegram", error) }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The latest alerts sent (fired, repeated, resolved) and their deliveries.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Only this tenant's alerts (default: every alert).") var tenant: String?
        @Option(help: "At most this many rows.") var limit = 50

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("alerts history", error) }
            do {
                let (tenant, limit) = (tenant, limit)
                let rows = try await AdminPools.with(settings, application: "alerts") { pools in
                    try await pools.postgres.withConnection {
                        try AlertStore.history(tenant: tenant, allTenants: tenant == nil, limit: limit, connection: $0)
                    }
                }
                if rows.isEmpty { print("no alerts"); return }
                print("id\tat\tstate\trule\ttenant\tsubject\tdeliveries\ttitle")
                for r in rows {
                    let n = r.notification
                    let deliveries = r.deliveries.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                    print("\(r.id)\t\(n.at)\t\(n.kind.rawValue)\t\(n.key.rule.rawValue)\t\(n.key.tenant ?? "-")\t\(n.key.subject)\t\(deliveries.isEmpty ? "-" : deliveries)\t\(AlertText.title(n).ptBR)")
                }
            } catch { throw fail("alerts history", error) }
        }
    }
}
