import Foundation
import TrackhubCore

/// Telling the operator that a case was opened: the message to the operator's Telegram chat
/// (the same chat every alert goes to, set with `TRACKHUB_ALERT_TELEGRAM_TOKEN=… dispatchd alerts telegram --operator --chat-id …`)
/// and how that went, in words for both sides. Pure, so each outcome is unit-tested.
enum SupportCaseNotice {
    /// How the operator was told.
    enum Outcome: Sendable, Equatable {
        /// The operator's chat got the message.
        case telegram
        /// No operator chat is set: the case waits in the console (and the bundle can be sent by hand).
        case noOperatorChat
        /// Telegram refused or could not be reached (the reason, never a token).
        case failed(String)

        /// Its name: `telegram`, `none`, `failed` (the column's prefix, the pages' string keys).
        var name: String {
            switch self {
            case .telegram: "telegram"
            case .noOperatorChat: "none"
            case .failed: "failed"
            }
        }

        /// As stored in `support_cases.notified`: the name, and for a failure why.
        var stored: String {
            if case .failed(let why) = self { return name + ": " + why }
            return name
        }

        init(stored: String) {
            switch stored {
            case "telegram": self = .telegram
            case "none": self = .noOperatorChat
            default: self = .failed(stored.hasPrefix("failed: ") ? String(stored.dropFirst("failed: ".count)) : stored)
            }
        }

        /// What the person who asked reads after opening the case.
        var toRequester: InsightText {
            switch self {
            case .telegram:
                InsightText("A equipe que cuida do Trackhub foi avisada no Telegram e vê a conversa e o diagnóstico.",
                            en: "The team that runs Trackhub was told on Telegram and sees the conversation and the diagnosis.")
            case .noOperatorChat:
                InsightText("O pedido ficou salvo no console para a equipe que cuida do Trackhub. Se for urgente, baixe o arquivo abaixo e mande para ela.",
                            en: "The request is saved in the console for the team that runs Trackhub. If it is urgent, download the file below and send it to them.")
            case .failed:
                InsightText("O pedido ficou salvo, mas o aviso no Telegram não foi entregue. Se for urgente, baixe o arquivo abaixo e mande para a equipe.",
                            en: "The request is saved, but the Telegram notice was not delivered. If it is urgent, download the file below and send it to the team.")
            }
        }
    }

    /// The operator's message: which case, who, for which clients, what they asked and what
    /// the assistant found, and where to open it. Plain text (no parse mode: nothing to escape);
    /// what users and webhooks wrote is scrubbed; the question is cut so the message fits
    /// Telegram's limit with its link.
    static func message(case c: SupportCase, diagnosis: String, consoleURL: String?) -> String {
        let head = SupportRedaction.scrub([
            "🆘 Trackhub: pedido de ajuda nº \(c.id)",
            "De: \(c.userName)" + (c.tenants.isEmpty ? "" : " · clientes: " + c.tenants.joined(separator: ", ")),
            "O assistente viu: " + diagnosis,
        ].joined(separator: "\n"))
        let link = "Abrir: " + (consoleURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "") + "/help/cases/\(c.id)"
        var question = "Pergunta: " + (c.summary.isEmpty ? "—" : SupportRedaction.scrub(c.summary))
        let room = TelegramOutgoingMessage.maxTextLength - head.count - link.count - 2
        if question.count > room { question = String(question.prefix(max(0, room - 1))) + "…" }
        return [head, question, link].joined(separator: "\n")
    }

    /// What the assistant found, for the operator: the summaries of the topics not `ok`.
    static func diagnosis(_ diagnoses: [Diagnosis]) -> String {
        let found = diagnoses.filter { $0.level != .ok }.map(\.summary.ptBR)
        return found.isEmpty ? "nada de errado nos dados" : found.joined(separator: " · ")
    }

    /// The outcome of a send that threw `error` (nil: delivered).
    static func outcome(_ error: TelegramError?) -> Outcome {
        guard let error else { return .telegram }
        return .failed("\(error.kind)")
    }
}
