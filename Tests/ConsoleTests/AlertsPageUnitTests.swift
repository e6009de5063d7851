import Foundation
import Testing
@testable import TrackhubConsole
import TrackhubCore

@Suite("Alertas: the tenant's open alerts, its notices, and checking a Telegram chat")
struct AlertsPageUnitTests {
    @Test("chat ids are numbers (groups -100…) or @channel; the token must look like @BotFather's")
    func form() {
        #expect(AlertChatCheck.isValidChatID("-1001234567890") && AlertChatCheck.isValidChatID("5550001") && AlertChatCheck.isValidChatID("@loja_alertas"))
        #expect(!AlertChatCheck.isValidChatID("") && !AlertChatCheck.isValidChatID("-") && !AlertChatCheck.isValidChatID("@ab")
                && !AlertChatCheck.isValidChatID("12 34") && !AlertChatCheck.isValidChatID("<b>"))
        #expect(AlertChatCheck.formProblem(chatID: "-100123", token: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678") == nil)
        #expect(AlertChatCheck.formProblem(chatID: "-100123", token: "not-a-token")?.ptBR.contains("@BotFather") == true)
        #expect(AlertChatCheck.formProblem(chatID: "grupo", token: "123456:ABC")?.ptBR.contains("-100") == true)
    }

    @Test("Telegram's refusals in the seller's words, with what to do; never the token")
    func problems() {
        let chat = AlertChatCheck.problem(TelegramError(kind: .badRequest, method: "sendMessage", errorCode: 400, message: "Bad Request: chat not found"))
        #expect(chat.ptBR.contains("adicione o bot ao grupo") && chat.en.contains("add the bot"))
        let token = AlertChatCheck.problem(TelegramError(kind: .unauthorized, method: "sendMessage", errorCode: 401, message: "Unauthorized"))
        #expect(token.ptBR.contains("@BotFather"))
        #expect(AlertChatCheck.testMessage(chatID: "-100", tenantName: "Loja X").text.contains("Loja X"))
    }

    @Test("only the tenant's open alerts; notices with their deliveries in words")
    func model() throws {
        let now = Date()
        let mine = ActiveAlert(condition: AlertCondition(AlertKey(.deadLetters, tenant: "loja", subject: "loja"), values: ["count": "3"]),
                               firstSeenAt: now - 600, lastNotifiedAt: now - 600, notifications: 1)
        let other = ActiveAlert(condition: AlertCondition(AlertKey(.deadLetters, tenant: "outra", subject: "outra"), values: ["count": "1"]),
                                firstSeenAt: now, lastNotifiedAt: now, notifications: 1)
        let resolved = AlertNotification(kind: .resolved, condition: mine.condition, firstSeenAt: now - 3600, at: now - 1800, sequence: 2)
        let m = AlertsModel(tenant: "loja", state: AlertState([mine, other]),
                            history: [AlertStore.HistoryEntry(id: 1, notification: resolved, deliveries: ["telegram": "sent", "webhook": "failed"])],
                            chatID: "-100123", language: .portuguese, strings: try ConsoleStrings(resources: ConsoleResources.builtIn)).model
        let open = try #require(m["open"] as? [[String: Any]])
        #expect(open.count == 1 && (open[0]["title"] as? String)?.hasPrefix("🔴") == true)
        let history = try #require(m["history"] as? [[String: Any]])
        #expect((history[0]["title"] as? String)?.hasPrefix("✅ Resolvido") == true)
        #expect(history[0]["deliveries"] as? String == "telegram: entregue · webhook: falhou")
        #expect(m["chat_id"] as? String == "-100123" && m["has_chat"] as? Bool == true)
    }
}
