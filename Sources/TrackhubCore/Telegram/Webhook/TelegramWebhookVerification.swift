/// What `getWebhookInfo` says after `setWebhook`: whether Telegram now delivers where Trackhub
/// asked, and what it last failed to deliver. Pure, over the answer.
public struct TelegramWebhookVerification: Sendable, Equatable {
    /// Telegram shows the URL asked for.
    public var registered: Bool
    /// For the operator, pt-BR first (never the token; the URL is Trackhub's own, public).
    public var text: InsightText

    public init(registered: Bool, text: InsightText) {
        self.registered = registered
        self.text = text
    }

    public static func of(_ info: TelegramWebhookInfo, expectedURL: String) -> TelegramWebhookVerification {
        guard info.url == expectedURL else {
            return TelegramWebhookVerification(registered: false, text: InsightText(
                "o Telegram mostra outro webhook (\(info.url.isEmpty ? "nenhum" : info.url)); rode o comando de novo",
                en: "Telegram shows another webhook (\(info.url.isEmpty ? "none" : info.url)); run the command again"))
        }
        var pt = "webhook registrado: \(info.url), \(info.pendingUpdateCount) atualização(ões) esperando entrega"
        var en = "webhook registered: \(info.url), \(info.pendingUpdateCount) update(s) pending"
        if let message = info.lastErrorMessage, !message.isEmpty {
            pt += "; último erro de entrega do Telegram: \(message)"
            en += "; Telegram's last delivery error: \(message)"
        }
        return TelegramWebhookVerification(registered: true, text: InsightText(pt, en: en))
    }
}
