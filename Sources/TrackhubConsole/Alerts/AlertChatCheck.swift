import TrackhubCore

/// Checking a Telegram chat for a tenant's alerts before it is saved — pure decisions over the
/// form and over Telegram's answer to the test message, so every refusal a seller can meet is
/// unit-tested. A chat is saved only after Telegram delivered the test message to it.
enum AlertChatCheck {
    /// A chat id as Telegram takes it: a number (`-100…` for a group) or `@channel`.
    static func isValidChatID(_ s: String) -> Bool {
        if s.hasPrefix("@") {
            let name = s.dropFirst()
            return (5...32).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
        let digits = s.hasPrefix("-") ? s.dropFirst() : Substring(s)
        return !digits.isEmpty && digits.count <= 20 && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// What the form is missing, in the seller's words (nil: send the test message).
    static func formProblem(chatID: String, token: String) -> InsightText? {
        if !isValidChatID(chatID) {
            return InsightText("O id do chat é um número (um grupo começa com -100…) ou @nome_do_canal.",
                               en: "The chat id is a number (a group starts with -100…) or @channel_name.")
        }
        if !TelegramBotToken(token).isWellFormed {
            return InsightText("O token do bot é o que o @BotFather mostrou: números, dois-pontos e o segredo (123456:ABC…).",
                               en: "The bot token is what @BotFather showed: digits, a colon and the secret (123456:ABC…).")
        }
        return nil
    }

    /// Why Telegram refused the test message, and what to do — never the token.
    static func problem(_ error: TelegramError) -> InsightText {
        switch error.kind {
        case .unauthorized:
            return InsightText("O Telegram recusou o token: confira no @BotFather (/mybots → API Token) e cole de novo.",
                               en: "Telegram refused the token: check it with @BotFather (/mybots → API Token) and paste it again.")
        case .badRequest:
            return InsightText("O bot não encontrou esse chat: adicione o bot ao grupo (ou mande /start para ele) e confira o id.",
                               en: "The bot cannot find that chat: add the bot to the group (or send it /start) and check the id.")
        case .forbidden:
            return InsightText("O bot não pode escrever nesse chat (foi removido ou bloqueado): adicione-o de novo.",
                               en: "The bot may not write to that chat (it was removed or blocked): add it again.")
        case .tooManyRequests:
            return InsightText("O Telegram pediu para esperar um pouco: tente de novo em alguns segundos.",
                               en: "Telegram asked to wait: try again in a few seconds.")
        default:
            return InsightText("Não conseguimos falar com o Telegram agora (\(error.kind)): tente de novo.",
                               en: "Telegram could not be reached now (\(error.kind)): try again.")
        }
    }

    /// The test message: the seller sees in the chat that alerts will arrive there.
    static func testMessage(chatID: String, tenantName: String) -> TelegramOutgoingMessage {
        TelegramOutgoingMessage(chatID: chatID, text: "✅ Trackhub: os alertas de \(tenantName) vão chegar aqui, com o resumo do dia às 8h.")
    }
}
