/// Registers bots' webhooks with Telegram (`register_webhook: true`): `setWebhook` as
/// ``TelegramWebhookPlan`` says, then `getWebhookInfo` to check (``TelegramWebhookVerification``).
///
/// Used by `dispatchd telegram register` and after `dispatchd apply`. The Bot API carries the
/// token in the URL path; nothing here prints it: ``TelegramError``'s text is redacted and the
/// results name the bot by its username.
public struct TelegramWebhookRegistrar: Sendable {
    /// One bot's outcome, for the operator.
    public struct Result: Sendable, Equatable, CustomStringConvertible {
        public var bot: String
        public var registered: Bool
        public var text: InsightText

        /// `bot: <pt-BR> / <English>`.
        public var description: String { "\(bot): \(text.ptBR) / \(text.en)" }
    }

    public let api: any TelegramBotAPI

    public init(api: any TelegramBotAPI) {
        self.api = api
    }

    public func register(_ plan: TelegramWebhookPlan) async -> Result {
        switch plan {
        case .refused(let bot, let reason):
            return Result(bot: bot, registered: false, text: InsightText("não registrado: \(reason.ptBR)", en: "not registered: \(reason.en)"))
        case .register(let bot, let token, let settings):
            do {
                try await api.setWebhook(token: token, settings)
            } catch {
                return Result(bot: bot, registered: false, text: InsightText(
                    "o Telegram recusou o setWebhook (\(error))", en: "Telegram refused setWebhook (\(error))"))
            }
            do {
                let check = TelegramWebhookVerification.of(try await api.getWebhookInfo(token: token), expectedURL: settings.url)
                return Result(bot: bot, registered: check.registered, text: check.text)
            } catch {
                return Result(bot: bot, registered: false, text: InsightText(
                    "setWebhook aceito, mas o getWebhookInfo falhou (\(error))", en: "setWebhook accepted, but getWebhookInfo failed (\(error))"))
            }
        }
    }
}
