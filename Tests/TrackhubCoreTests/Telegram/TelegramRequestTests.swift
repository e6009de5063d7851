import Testing
@testable import TrackhubCore

/// The request bodies and value checks of the Bot API client.
@Suite("TelegramRequests")
struct TelegramRequestTests {
    @Test func setWebhookBodyCarriesSecretAndAllowedUpdates() {
        let settings = TelegramWebhookSettings(url: "https://t.example/webhooks/telegram/demo_bot", secretToken: "s3cr3t_-X",
                                               allowedUpdates: ["message"], maxConnections: 20)
        let json = JSONValue.parse(settings.body())
        #expect(json?["url"] == .string("https://t.example/webhooks/telegram/demo_bot"))
        #expect(json?["secret_token"] == .string("s3cr3t_-X"))
        #expect(json?["allowed_updates"] == .array([.string("message")]))
        #expect(json?["max_connections"] == .number("20"))
        #expect(json?["drop_pending_updates"] == nil)
    }

    @Test func setWebhookOmitsWhatIsNotGiven() {
        let json = JSONValue.parse(TelegramWebhookSettings(url: "https://x.example/h", secretToken: nil).body())
        #expect(json?.objectMembers?.keys.sorted() == ["url"])
    }

    @Test func secretTokenAlphabet() {
        #expect(TelegramWebhookSettings.isValidSecretToken("abc_DEF-123"))
        #expect(!TelegramWebhookSettings.isValidSecretToken(""))
        #expect(!TelegramWebhookSettings.isValidSecretToken("has space"))
        #expect(!TelegramWebhookSettings.isValidSecretToken("dot.dot"))
        #expect(!TelegramWebhookSettings.isValidSecretToken(String(repeating: "a", count: 257)))
        #expect(TelegramWebhookSettings.isValidSecretToken(String(repeating: "a", count: 256)))
    }

    @Test func sendMessageNumericChatIsANumber() {
        let json = JSONValue.parse(TelegramOutgoingMessage(chatID: "-1001234", text: "Olá <b>R$ 1.234,56</b>", parseMode: "HTML",
                                                           disableNotification: true).body())
        #expect(json?["chat_id"] == .number("-1001234"))
        #expect(json?["text"] == .string("Olá <b>R$ 1.234,56</b>"))
        #expect(json?["parse_mode"] == .string("HTML"))
        #expect(json?["disable_notification"] == .bool(true))
        let channel = JSONValue.parse(TelegramOutgoingMessage(chatID: "@canal", text: "x").body())
        #expect(channel?["chat_id"] == .string("@canal"))
    }

    @Test func tokenShape() {
        #expect(TelegramBotToken("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq").isWellFormed)
        #expect(TelegramBotToken("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq").botID == "123456789")
        #expect(!TelegramBotToken("nocolon").isWellFormed)
        #expect(!TelegramBotToken("12:short").isWellFormed)
        #expect(TelegramBotToken("abc:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq").botID == nil)
    }
}
