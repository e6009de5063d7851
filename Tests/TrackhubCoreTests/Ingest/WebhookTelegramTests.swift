import Testing
@testable import TrackhubCore

/// Telegram bot updates: the webhook's secret token in `X-Telegram-Bot-Api-Secret-Token`
/// (reference §4.1), compared in constant time; nothing in the body or query counts.
@Suite struct TelegramWebhookTests {
    let update = #"{"update_id":100001,"message":{"message_id":1,"from":{"id":42,"is_bot":false,"first_name":"Ana"},"chat":{"id":42,"type":"private"},"date":1760000000,"text":"/start 01j9zq7x8k0000000000000000"}}"#

    @Test func secretHeaderMatches() {
        #expect(verifyWebhook(.telegram, body: update, headers: ["X-Telegram-Bot-Api-Secret-Token": "tg_s3cret-1"], secrets: ["tg_s3cret-1"]) == .ok)
        #expect(verifyWebhook(.telegram, body: update, headers: ["x-telegram-bot-api-secret-token": "tg_s3cret-1"], secrets: ["tg_s3cret-1"]) == .ok)
    }

    @Test func forgedOrMissingSecretIsRejected() {
        #expect(verifyWebhook(.telegram, body: update, headers: ["X-Telegram-Bot-Api-Secret-Token": "forged"], secrets: ["tg_s3cret-1"])
            == .rejected(reason: .badSignature))
        #expect(verifyWebhook(.telegram, body: update, secrets: ["tg_s3cret-1"]) == .rejected(reason: .missingSignature))
        #expect(verifyWebhook(.telegram, body: update, headers: ["X-Telegram-Bot-Api-Secret-Token": ""], secrets: ["tg_s3cret-1"])
            == .rejected(reason: .missingSignature))
        #expect(verifyWebhook(.telegram, body: update, query: "secret_token=tg_s3cret-1", secrets: ["tg_s3cret-1"])
            == .rejected(reason: .missingSignature))
    }

    @Test func rotationAcceptsEitherSecret() {
        #expect(verifyWebhook(.telegram, body: update, headers: ["X-Telegram-Bot-Api-Secret-Token": "old_one"], secrets: ["new_one", "old_one"]) == .ok)
    }

    @Test func anUpdateIsNeverASale() {
        let result = GatewayParser.parse(gateway: .telegram, account: "demo_bot", body: Array(update.utf8), contentType: "application/json",
                                         query: [], headers: [:])
        guard case .ignored(let reason, _) = result else { Issue.record("expected ignored, got \(result)"); return }
        #expect(reason.contains("telegram"))
        #expect(!Gateway.payments.contains(.telegram))
        #expect(Gateway.payments.count == Gateway.allCases.count - 1)
    }
}
