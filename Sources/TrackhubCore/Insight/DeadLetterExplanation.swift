/// A dead letter's reason in the seller's words, with what to do about it.
public enum DeadLetterExplanation {
    public static func of(reason: String) -> InsightText {
        switch DeadLetterReason(rawValue: reason) {
        case .unparseable:
            InsightText("Entrada ilegível: o Trackhub não conseguiu ler o que chegou. Depois de uma correção, reenvie.",
                        en: "Unreadable entry: Trackhub could not read what arrived. Replay it after a fix.")
        case .invalid:
            InsightText("O Meta recusou o evento como inválido (veja a mensagem do Meta). Corrija o dado e reenvie.",
                        en: "Meta rejected the event as invalid (see Meta's message). Fix the data and replay.")
        case .validation:
            InsightText("Faltam dados obrigatórios no evento; ele não foi enviado ao Meta.",
                        en: "The event lacks required data; it was not sent to Meta.")
        case .expired:
            InsightText("O evento tem mais de 7 dias: o Meta não aceita mais. Não é possível reenviar.",
                        en: "The event is older than 7 days: Meta no longer accepts it. It cannot be replayed.")
        case .retriesExhausted:
            InsightText("O Meta não respondeu depois de todas as tentativas. Reenvie quando o Meta estiver normal.",
                        en: "Meta did not answer after every retry. Replay once Meta is back to normal.")
        case .permission:
            InsightText("O token não tem permissão para este pixel. Troque o token e reenvie.",
                        en: "The token has no permission for this pixel. Replace the token and replay.")
        case .noPixel:
            InsightText("Não há pixel configurado para esta conta. Configure um pixel e reenvie.",
                        en: "No pixel is configured for this account. Configure a pixel and replay.")
        case .unrecordable:
            InsightText("O banco de dados recusou o registro de uma tentativa já feita (veja o detalhe: \"outcome sent\" quer dizer que o Meta recebeu o evento). Não é reenviado.",
                        en: "The database refused the record of an attempt already made (see the detail: \"outcome sent\" means Meta has the event). It is not replayed.")
        case .deliveryCap:
            InsightText("Esta entrada derrubou o processamento várias vezes seguidas e foi separada para não travar as outras. Depois da correção, reenvie.",
                        en: "This entry stopped the workers several times in a row and was set aside so it does not hold up the others. Replay it after a fix.")
        case .telegramForward:
            InsightText("Uma mensagem do bot não chegou ao seu servidor (forward_url) depois de todas as tentativas, ou o bot não tem mais forward_url. Quando o seu servidor estiver no ar, reenvie.",
                        en: "A bot update did not reach your backend (forward_url) after every retry, or the bot no longer has a forward_url. Replay it once your backend is up.")
        case nil:
            InsightText("Motivo: \(reason)", en: "Reason: \(reason)")
        }
    }
}
