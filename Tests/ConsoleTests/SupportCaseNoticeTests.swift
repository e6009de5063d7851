import Foundation
import Testing
@testable import TrackhubConsole
import TrackhubCore

@Suite("Support case notice: the operator's message and how it went")
struct SupportCaseNoticeTests {
    static func supportCase(summary: String, tenants: [String] = ["loja-a"]) -> SupportCase {
        SupportCase(id: 7, userID: 3, userName: "Ana", tenants: tenants, summary: summary, conversation: [], notice: .noOperatorChat,
                    status: .open, openedAt: Date(timeIntervalSince1970: 1_796_500_000), closedAt: nil)
    }

    @Test("the message names the case, who asked, for which clients, the question and where to open it; nothing personal")
    func message() {
        let text = SupportCaseNotice.message(case: Self.supportCase(summary: "venda de ana@example.com (11) 98765-4321 sumiu"),
                                             diagnosis: "1 venda sem clique", consoleURL: "https://painel.example/")
        #expect(text.hasPrefix("🆘 Trackhub: pedido de ajuda nº 7\nDe: Ana · clientes: loja-a\nO assistente viu: 1 venda sem clique\nPergunta: venda de "))
        #expect(text.hasSuffix("\nAbrir: https://painel.example/help/cases/7"), "the link is not taken for a token: \(text)")
        #expect(!text.contains("ana@example.com") && !text.contains("98765-4321"), "\(text)")
        let everyone = SupportCaseNotice.message(case: Self.supportCase(summary: "", tenants: []), diagnosis: "nada", consoleURL: nil)
        #expect(everyone.contains("De: Ana\nO assistente viu: nada\nPergunta: —") && everyone.hasSuffix("Abrir: /help/cases/7"))
    }

    @Test("a long question is cut to Telegram's limit")
    func limit() {
        let text = SupportCaseNotice.message(case: Self.supportCase(summary: String(repeating: "a ", count: 3000)), diagnosis: "x", consoleURL: nil)
        #expect(text.count == TelegramOutgoingMessage.maxTextLength && text.hasSuffix("…\nAbrir: /help/cases/7"), "the link survives the cut")
    }

    @Test("the outcome round-trips through the stored column and says what happened to the asker")
    func outcome() {
        for o in [SupportCaseNotice.Outcome.telegram, .noOperatorChat, .failed("unauthorized")] {
            #expect(SupportCaseNotice.Outcome(stored: o.stored) == o)
        }
        #expect(SupportCaseNotice.outcome(nil) == .telegram)
        #expect(SupportCaseNotice.Outcome.failed("x").toRequester.ptBR.contains("não foi entregue"))
    }
}
