import Foundation
import Testing
@testable import TrackhubCore

/// `register_webhook`: what `setWebhook` call a bot's account asks for, and what
/// `getWebhookInfo` says after it.
@Suite("telegram webhook registration: plan and check")
struct TelegramWebhookPlanTests {
    static let token = "7300000002:" + String(repeating: "A", count: 35)

    static func account(_ settings: [String: ConfigValue], token: String? = TelegramWebhookPlanTests.token) -> DispatchConfig.GatewayAccount {
        DispatchConfig.GatewayAccount(gateway: .telegram, account: "acme_bot", tenant: "t1", pixel: nil, settings: settings, apiToken: token)
    }

    static let url = ConfigValue.string("https://track.example.com/webhooks/telegram/acme_bot")

    @Test("the webhook URL, the secret token and allowed_updates: only messages without forward_url, the bot's own otherwise")
    func plans() {
        let plain = TelegramWebhookPlan.plan(Self.account(["webhook_url": Self.url, "register_webhook": .bool(true)]), secret: "s3cr3t_-x")
        #expect(plain == .register(bot: "acme_bot", token: TelegramBotToken(Self.token), settings: TelegramWebhookSettings(
            url: "https://track.example.com/webhooks/telegram/acme_bot", secretToken: "s3cr3t_-x", allowedUpdates: ["message"])))
        let forwarding = TelegramWebhookPlan.plan(Self.account(["webhook_url": Self.url, "forward_url": .string("https://bot.example.com/tg")]),
                                                  secret: "s3cr3t")
        guard case .register(_, _, let settings) = forwarding else { Issue.record("not registered"); return }
        #expect(settings.allowedUpdates == nil)
    }

    @Test("refused in pt-BR and English: no webhook_url, http, no token, no valid secret")
    func refusals() {
        func reason(_ plan: TelegramWebhookPlan) -> InsightText? {
            if case .refused(_, let reason) = plan { return reason }
            return nil
        }
        #expect(reason(TelegramWebhookPlan.plan(Self.account([:]), secret: "s"))?.en.contains("webhook_url is missing") == true)
        #expect(reason(TelegramWebhookPlan.plan(Self.account(["webhook_url": .string("http://track.example.com/x")]), secret: "s"))?
            .ptBR.contains("https") == true)
        #expect(reason(TelegramWebhookPlan.plan(Self.account(["webhook_url": .string("http://127.0.0.1:8080/webhooks/telegram/acme_bot")]),
                                                secret: "s", allowLoopbackHTTP: true)) == nil, "the local fake, in tests")
        #expect(reason(TelegramWebhookPlan.plan(Self.account(["webhook_url": Self.url], token: nil), secret: "s"))?.ptBR.contains("token do bot") == true)
        #expect(reason(TelegramWebhookPlan.plan(Self.account(["webhook_url": Self.url], token: "123:short"), secret: "s")) != nil)
        #expect(reason(TelegramWebhookPlan.plan(Self.account(["webhook_url": Self.url]), secret: nil))?.en.contains("secret token") == true)
        #expect(reason(TelegramWebhookPlan.plan(Self.account(["webhook_url": Self.url]), secret: "has space")) != nil)
    }

    @Test("getWebhookInfo: ours, another URL, Telegram's last delivery error")
    func verification() {
        let expected = "https://track.example.com/webhooks/telegram/acme_bot"
        let ok = TelegramWebhookVerification.of(TelegramWebhookInfo(url: expected, pendingUpdateCount: 2), expectedURL: expected)
        #expect(ok.registered && ok.text.en == "webhook registered: \(expected), 2 update(s) pending")
        let other = TelegramWebhookVerification.of(TelegramWebhookInfo(url: "", pendingUpdateCount: 0), expectedURL: expected)
        #expect(!other.registered && other.text.ptBR.contains("nenhum"))
        let failing = TelegramWebhookVerification.of(TelegramWebhookInfo(url: expected, pendingUpdateCount: 5, lastErrorDate: 1,
                                                                         lastErrorMessage: "Connection refused"), expectedURL: expected)
        #expect(failing.registered && failing.text.en.contains("Connection refused"))
    }
}
