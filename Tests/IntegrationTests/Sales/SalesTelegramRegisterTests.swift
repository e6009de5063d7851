import Foundation
import Logging
import ServiceLifecycle
import Testing
import TrackhubCore
import TrackhubTesting

/// Issue 19 item 1, registration: `register_webhook: true` makes `dispatchd apply` call
/// `setWebhook` at the (fake) Bot API with the bot's `webhook_url`, its secret token and
/// `allowed_updates`, then `getWebhookInfo`; `dispatchd telegram register --bot` does the same
/// on demand. The token never shows in what the commands print.
extension SalesEndToEndTests {
    @Suite("telegram register")
    struct TelegramRegister {
        @Test("apply registers the webhook with the secret at the fake Telegram; Telegram's pushes then reach ingestd; a revoked token fails in clear words without the token")
        func applyRegisters() async throws {
            try await withSalesFixture("tgregister") { s in
                try await FakeTelegramServer.withServer { server in
                    let bot = SalesFixture.bot.username
                    let token = FakeTelegram.token(for: bot, id: 7_300_000_002)
                    server.telegram.addBot(token: token, username: bot)
                    let webhookURL = "http://127.0.0.1:\(s.f.ingestPort)/webhooks/telegram/\(bot)"
                    let env = ["TRACKHUB_TELEGRAM_BASE_URL": server.baseURL, "TRACKHUB_ALLOW_LOOPBACK_HTTP": "1"]
                    let applied = try await TelegramForwardRelay.applyBot(
                        s, settings: "{webhook_url: \"\(webhookURL)\", register_webhook: true}", token: token, env: env)
                    print("[telegram register] apply exit=\(applied.status) output=\(applied.stdout.split(separator: "\n").last ?? "")")
                    #expect(applied.status == 0, "\(applied.output)")
                    #expect(applied.stdout.contains("webhook registrado") && applied.stdout.contains("webhook registered"))
                    #expect(!applied.output.contains(token) && !applied.output.contains(String(token.split(separator: ":")[1])))

                    let hook = try #require(server.telegram.webhook(bot: bot))
                    #expect(hook.url == webhookURL)
                    #expect(hook.secretToken == SalesFixture.bot.secret)
                    #expect(hook.allowedUpdates == ["message"], "without forward_url only what Trackhub reads")
                    #expect(server.telegram.calls(bot: bot).map(\.method) == ["setWebhook", "getWebhookInfo"])

                    // Telegram now delivers to ingestd with the registered secret.
                    let update = server.telegram.startUpdate(bot: bot, userID: 6_400_000_001, payload: nil)
                    #expect(try await server.telegram.push(bot: bot, update: update) == 200)

                    // With a forward_url too, allowed_updates is left as Telegram had it (the seller's choice).
                    let again = try await TelegramForwardRelay.applyBot(
                        s, settings: "{webhook_url: \"\(webhookURL)\", register_webhook: true, forward_url: \"https://bot.example.com/tg\"}",
                        token: token, env: env)
                    #expect(again.status == 0, "\(again.output)")
                    #expect(server.telegram.webhook(bot: bot)?.allowedUpdates == ["message"])
                    #expect(server.telegram.calls(bot: bot, method: "setWebhook").last?.body["allowed_updates"] == nil)

                    // The token is revoked: apply stores the configuration but says the webhook is not registered.
                    server.telegram.setRevoked(true, bot: bot)
                    let revoked = try await s.f.cli(["telegram", "register", "--bot", bot], env: env)
                    print("[telegram register] revoked exit=\(revoked.status) output=\(revoked.stdout.trimmingCharacters(in: .whitespacesAndNewlines))")
                    #expect(revoked.status == 1)
                    #expect(revoked.stdout.contains("o Telegram recusou o setWebhook") && revoked.stdout.contains("unauthorized"))
                    #expect(!revoked.output.contains(token) && !revoked.output.contains(String(token.split(separator: ":")[1])))
                }
            }
        }
    }
}
