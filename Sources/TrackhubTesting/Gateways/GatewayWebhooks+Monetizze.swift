public import Foundation

/// Monetizze (form postback, `chave_unica` = the secret).
extension GatewayWebhooks {
    /// A Monetizze postback (`tipoEvento[codigo]` 1 = waiting for payment, 2 = approved,
    /// 4 = refunded, 6 = complete); the click id lands in `venda[src]`.
    public static func monetizze(code: String = "2", sale: String, buyer: GatewayBuyer, src: String?, valor: String = "397.00",
                          formaPagamento: String = "Cartão de crédito", finishedAt: Date = Date(), secret: String,
                          account: String = "main") -> GatewayDelivery {
        let status = ["1": "Aguardando pagamento", "2": "Finalizada", "4": "Devolvida", "6": "Completa"][code] ?? "Finalizada"
        var fields: [(String, String)] = [
            ("chave_unica", secret),
            ("produto[codigo]", "298341"), ("produto[nome]", "Inglês Fluente em 90 Dias"),
            ("tipoPostback[codigo]", "2"), ("tipoPostback[descricao]", "Produtor"),
            ("tipoEvento[codigo]", code), ("tipoEvento[descricao]", status),
            ("venda[codigo]", sale), ("venda[plano]", "55120"),
            ("venda[dataInicio]", brasilia(finishedAt.addingTimeInterval(-90), format: "yyyy-MM-dd HH:mm:ss")),
            ("venda[dataFinalizada]", brasilia(finishedAt, format: "yyyy-MM-dd HH:mm:ss")),
            ("venda[meioPagamento]", "Monetizze"), ("venda[formaPagamento]", formaPagamento),
            ("venda[status]", status), ("venda[valor]", valor), ("venda[quantidade]", "1"), ("venda[valorRecebido]", "361.45"),
        ]
        if let src { fields.append(("venda[src]", src)) }
        fields += [
            ("venda[utm_source]", "facebook"), ("venda[utm_medium]", "cpc"), ("venda[utm_campaign]", "ingles90_frio"),
            ("comprador[nome]", buyer.fullName), ("comprador[email]", buyer.email),
            ("comprador[cnpj_cpf]", buyer.document.filter(\.isNumber)),
            ("comprador[telefone]", areaFormatted(buyer.phone)),
            ("comprador[cep]", buyer.zip.filter(\.isNumber)), ("comprador[cidade]", buyer.city), ("comprador[estado]", buyer.state),
            ("comprador[pais]", "Brasil"), ("comprador[ip]", buyer.ip),
            ("comprador[user_agent]", "Mozilla/5.0 (Linux; Android 14; SM-A546E) Chrome/128.0.0.0 Mobile Safari/537.36"),
        ]
        let body = Array(fields.map { formEncode($0.0) + "=" + formEncode($0.1) }.joined(separator: "&").utf8)
        return GatewayDelivery(target: "/webhooks/monetizze/\(account)",
                        headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body)
    }
}
