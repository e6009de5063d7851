import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrackhubConsole
import TrackhubCore
import TrackhubTesting

/// Ajuda's human fallback over real Postgres and the fake Telegram: the conversation is kept
/// (scrubbed) and shown on return; "pedir ajuda a uma pessoa" opens a case with that
/// conversation and the redacted bundle, tells the operator's Telegram chat, and only owners
/// (and the user who asked, for the bundle) see it.
@Suite("Console: Ajuda's conversation and support cases")
struct ConsoleHelpDeskTests {
    static let operatorChat = "-1001234567890"
    static let botToken = "7300000042:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"

    @Test("a case tells the operator's chat once, carries the scrubbed conversation, and is closed by an owner")
    func caseWithOperatorChat() async throws {
        try await FakeTelegramServer.withServer { telegram in
            telegram.telegram.addBot(token: Self.botToken, username: "suportebot")
            telegram.telegram.addChat(Self.operatorChat, bot: "suportebot")
            var configuration = ConsoleFixture.testConfiguration()
            configuration.telegramBaseURL = telegram.baseURL
            configuration.publicURL = "https://painel.loja.example"
            try await ConsoleFixture.run(configuration: configuration) { f in
                _ = try InsightPagesTests.plant(f)
                let pg = try PostgresConnection(f.databaseURL, applicationName: "helpdesk-test")
                defer { pg.close() }
                try AlertTelegramChat.save(AlertTelegramChat(scope: AlertTelegramChat.operatorScope, chatID: Self.operatorChat,
                                                             token: TelegramBotToken(Self.botToken)), keys: f.keys, connection: pg)

                let ana = try await InsightPagesTests.login(f, "ana", role: .admin, tenants: ["loja-a"])
                try await ana.get("/help")
                try await ana.post("/help", [("message", "a venda da maria.compradora@example.com não casou com o clique")])
                #expect(ana.lastBody.contains(#"data-level="warning""#))
                let stored = try f.value("SELECT string_agg(body, ' | ' ORDER BY id) FROM help_messages") ?? ""
                #expect(!stored.contains("maria.compradora@example.com") && stored.contains("não casou"), "scrubbed before it is stored: \(stored)")

                // Back on Ajuda later: the earlier conversation is there.
                try await ana.get("/help")
                #expect(ana.lastBody.contains(#"data-testid="help-history""#) && ana.lastBody.contains("não casou com o clique"))

                try await ana.post("/help/support", [])
                #expect(ana.lastBody.contains("Pedido de ajuda nº 1 aberto") && ana.lastBody.contains("avisada no Telegram"))
                let sent = telegram.telegram.messages(chatID: Self.operatorChat)
                #expect(sent.count == 1, "one notice per case")
                let notice = sent.first?.text ?? ""
                #expect(notice.contains("pedido de ajuda nº 1") && notice.contains("De: ana · clientes: loja-a"), "\(notice)")
                #expect(notice.contains("Pergunta: a venda da ") && notice.contains("não casou com o clique"), "the question, not the button: \(notice)")
                #expect(notice.contains("https://painel.loja.example/help/cases/1") && !notice.contains("maria.compradora"), "\(notice)")
                #expect(try f.value("SELECT notified FROM support_cases WHERE id = 1") == "telegram")
                #expect(try f.value("SELECT count(*) FROM config_audit WHERE action = 'support.case'") == "1")

                // The operator's side: owners only; the asker may download its own bundle.
                #expect(try await ana.get("/help/cases").status == .forbidden)
                #expect(try await ana.get("/help/cases/1/bundle").status == .ok)
                let vera = try await InsightPagesTests.login(f, "vera", role: .viewer, tenants: ["loja-a"])
                #expect(try await vera.get("/help/cases/1/bundle").status == .forbidden)
                let dona = try await InsightPagesTests.login(f, "dona", role: .owner, tenants: [])
                try await dona.get("/")
                #expect(dona.lastBody.contains("1 pedido(s) de ajuda esperando uma pessoa."), "Início tells an owner first")
                try await ana.get("/")
                #expect(!ana.lastBody.contains("home-help-requests"), "not an admin")
                try await dona.get("/help")
                #expect(dona.lastBody.contains("1 pedido(s) de ajuda em aberto"))
                try await dona.get("/help/cases")
                #expect(dona.lastBody.contains("Pedido nº 1 · ana") && dona.lastBody.contains("em aberto"))
                try await dona.get("/help/cases/1")
                #expect(dona.lastBody.contains("não casou com o clique") && dona.lastBody.contains("Aviso entregue no chat do operador"))
                #expect(!dona.lastBody.contains("maria.compradora@example.com"))
                try await dona.post("/help/cases/1/close", [])
                try await dona.get("/help/cases/1")
                #expect(dona.lastBody.contains("resolvido") && !dona.lastBody.contains(#"data-testid="case-close""#))
                #expect(try f.value("SELECT status FROM support_cases WHERE id = 1") == "closed")
                try await dona.get("/")
                #expect(!dona.lastBody.contains("home-help-requests"), "none open any more")
                #expect(try await dona.get("/help/cases/99").status == .notFound)
            }
        }
    }

    @Test("without an operator chat the case is kept and the asker is told to send the file; a refused notice is said too")
    func caseWithoutOperatorChat() async throws {
        try await FakeTelegramServer.withServer { telegram in
            var configuration = ConsoleFixture.testConfiguration()
            configuration.telegramBaseURL = telegram.baseURL
            try await ConsoleFixture.run(configuration: configuration) { f in
                _ = try InsightPagesTests.plant(f)
                let ana = try await InsightPagesTests.login(f, "ana", role: .admin, tenants: ["loja-a"])
                try await ana.get("/help")
                try await ana.post("/help/support", [])
                #expect(ana.lastBody.contains("Pedido de ajuda nº 1 aberto") && ana.lastBody.contains("ficou salvo no console"))
                #expect(try f.value("SELECT notified FROM support_cases WHERE id = 1") == "none")
                #expect(try f.value("SELECT jsonb_array_length(conversation) FROM support_cases WHERE id = 1") == "0",
                        "asked for a person before talking to the assistant")

                // A revoked bot: the case is still opened, the notice is refused and said so.
                let pg = try PostgresConnection(f.databaseURL, applicationName: "helpdesk-test")
                defer { pg.close() }
                try AlertTelegramChat.save(AlertTelegramChat(scope: AlertTelegramChat.operatorScope, chatID: Self.operatorChat,
                                                             token: TelegramBotToken(Self.botToken)), keys: f.keys, connection: pg)
                try await ana.post("/help/support", [])
                #expect(ana.lastBody.contains("Pedido de ajuda nº 2 aberto") && ana.lastBody.contains("não foi entregue"))
                #expect(try f.value("SELECT notified FROM support_cases WHERE id = 2")?.hasPrefix("failed: ") == true)
            }
        }
    }
}
