/// The problems the troubleshooting assistant knows how to investigate. The user picks one, or
/// describes the problem and ``guess(from:)`` picks it.
public enum TroubleshootingTopic: String, Sendable, CaseIterable, Equatable {
    /// "minhas vendas não aparecem no Meta"
    case salesNotReachingMeta = "sales_not_reaching_meta"
    /// "a venda não casou com o clique"
    case saleNotMatched = "sale_not_matched"
    /// "token expirou"
    case tokenExpired = "token_expired"

    /// How the user would say it (the choices the chat offers).
    public var title: InsightText {
        switch self {
        case .salesNotReachingMeta: InsightText("Minhas vendas não aparecem no Meta", en: "My sales do not show up in Meta")
        case .saleNotMatched: InsightText("A venda não casou com o clique", en: "The sale was not matched to the click")
        case .tokenExpired: InsightText("O token expirou", en: "The token expired")
        }
    }

    /// Picks the topic a free-text description is about (pt-BR or English, accents and case
    /// ignored); nil when nothing in it points to one.
    public static func guess(from text: String) -> TroubleshootingTopic? {
        let folded = fold(text)
        let rules: [(TroubleshootingTopic, [String])] = [
            (.tokenExpired, ["token", "expir", "190", "permiss", "acesso negado", "access"]),
            (.saleNotMatched, ["casou", "casar", "clique", "click", "atribui", "attribut", "match", "origem", "campanha", "campaign", "utm"]),
            (.salesNotReachingMeta, ["venda", "vendas", "compra", "purchase", "sale", "meta", "facebook", "aparece", "chega", "gerenciador", "evento"]),
        ]
        return rules.first { _, words in words.contains { folded.contains($0) } }?.0
    }

    /// Lowercase ASCII letters and digits, accents removed, anything else a space.
    static func fold(_ text: String) -> String {
        String(String.UnicodeScalarView(text.lowercased().unicodeScalars.map { scalar -> Unicode.Scalar in
            switch scalar {
            case "á", "à", "â", "ã", "ä": "a"
            case "é", "ê", "è", "ë": "e"
            case "í", "î", "ì", "ï": "i"
            case "ó", "ô", "õ", "ò", "ö": "o"
            case "ú", "û", "ù", "ü": "u"
            case "ç": "c"
            default: scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) ? scalar : " "
            }
        }))
    }
}
