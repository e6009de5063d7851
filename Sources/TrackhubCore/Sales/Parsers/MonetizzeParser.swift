import Foundation

/// Monetizze legacy postback: an `application/x-www-form-urlencoded` PHP form
/// (`venda[codigo]=…&comprador[email]=…`), or the same structure as JSON — either the whole
/// body (when the content type says JSON) or the form's `json` field, used for any top-level
/// group the form itself lacks.
///
/// `tipoEvento[codigo]` → status (Monetizze's "Documentação PostBack" script):
/// | code | meaning | status |
/// |---|---|---|
/// | 1 | AGUARDANDO_PAGAMENTO | pending |
/// | 2 | FINALIZADA_APROVADA | approved |
/// | 3 | CANCELADA | canceled |
/// | 4 | DEVOLVIDA (refund) | refunded |
/// | 5 | BLOQUEADA (dispute) | chargeback — Monetizze has no separate chargeback code (UNVERIFIED), so a blocked sale is the only chargeback signal |
/// | 6 | COMPLETA (30 days after approval) | approved (same transaction → same Purchase event id) |
/// | 98 CARTAO, 99 BOLETO | payment-method notices (undocumented meaning) | pending |
/// | 7 ABANDONO_DE_CHECKOUT, 8 OCULTO, 101–104 subscription states, others | | ignored |
///
/// Without `tipoEvento[codigo]`, `venda[status]` text decides (Aguardando pagamento,
/// Finalizada, Cancelada, Devolvida, Bloqueada, Completa).
///
/// Fields: transaction `venda[codigo]` (absent on abandoned carts); value `venda[valor]`
/// ("1457.00"; a decimal comma is accepted); currency `venda[moeda]` if ever sent, else BRL;
/// dates `venda[dataFinalizada]`/`venda[dataInicio]` ("yyyy-mm-dd H:i:s", Brasília time,
/// "0000-00-00 00:00:00" meaning none); tracking `venda[src]`, `venda[utm_*]`; buyer
/// `comprador[nome|email|telefone|cnpj_cpf|cep|cidade|estado|pais|data_nascimento|ip|user_agent]`;
/// products `produto[codigo]` plus `venda_item_order_bump[][produto]`.
///
/// Time: approval (`dataFinalizada`) for 2/6; purchase start (`dataInicio`) for pending; the
/// receive time otherwise (Monetizze sends no time for refunds, cancellations or blocks).
enum MonetizzeParser {
    static let codeStatus: [String: ConversionStatus] = [
        "1": .pending, "2": .approved, "3": .canceled, "4": .refunded, "5": .chargeback, "6": .approved,
        "98": .pending, "99": .pending,
    ]

    static let textStatus: [String: ConversionStatus] = [
        "aguardando pagamento": .pending, "finalizada": .approved, "finalizada / aprovada": .approved,
        "aprovada": .approved, "cancelada": .canceled, "devolvida": .refunded, "bloqueada": .chargeback,
        "completa": .approved,
    ]

    static func parse(body: [UInt8], contentType: String?, context: SalesContext) throws(SalesReject) -> ParseResult {
        try parse(json: document(body: body, contentType: contentType), context: context)
    }

    /// The postback as one tree, whichever way it was sent.
    static func document(body: [UInt8], contentType: String?) throws(SalesReject) -> JSONValue {
        let isJSON = contentType?.lowercased().contains("json") ?? false
        let first = body.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }
        if isJSON || first == UInt8(ascii: "{") {
            return try GatewayParser.jsonObject(body)
        }
        // Decoded `%00`s are made storable here, like every string the JSON reader repairs.
        guard var members = formTree(StorableText.storable(pairs: QueryString.parse(body))).objectMembers, !members.isEmpty else {
            throw .malformed("body is not a form")
        }
        if case .string(let embedded)? = members["json"], let json = JSONValue.parse(embedded),
           let extra = json.objectMembers {
            for (key, value) in extra where members[key] == nil {
                members[key] = value
            }
        }
        return .object(members)
    }

    static func parse(json: JSONValue, context: SalesContext) throws(SalesReject) -> ParseResult {
        let venda = json["venda"]
        let status: ConversionStatus
        let rawEventType: String
        if !json["tipoEvento"]["codigo"].isNullOrMissing {
            rawEventType = try SalesField.eventType(json["tipoEvento"]["codigo"], field: "tipoEvento[codigo]")
            guard let mapped = codeStatus[rawEventType] else {
                throw .ignored("Monetizze event code not mapped to a sale status", eventType: rawEventType)
            }
            status = mapped
        } else if !venda["status"].isNullOrMissing {
            rawEventType = try SalesField.eventType(venda["status"], field: "venda[status]")
            guard let mapped = textStatus[rawEventType.lowercased()]
                ?? textStatus[(venda["status"].string ?? "").lowercased()] else {
                throw .ignored("Monetizze sale status not mapped to a sale status", eventType: rawEventType)
            }
            status = mapped
        } else {
            throw .malformed("missing event type (tipoEvento[codigo], venda[status])")
        }

        let transaction = try SalesField.transactionID(venda["codigo"], field: "venda[codigo]")
        let value = try SalesField.amount(venda["valor"], field: "venda[valor]")
        let currency = try SalesField.currency([venda["moeda"]], field: "venda[moeda]", fallback: "BRL")

        let c = json["comprador"]
        let split = SalesPerson.splitName(c["nome"].string)
        let buyer = RawUserData(
            email: c["email"].string,
            phone: c["telefone"].string ?? c["celular"].string,
            firstName: split.first,
            lastName: split.last,
            city: c["cidade"].string,
            state: c["estado"].string,
            zip: c["cep"].string,
            country: c["pais"].string,
            dateOfBirth: c["data_nascimento"].string
        )

        let tracking = TrackingParameters(
            sck: venda["sck"].string, src: venda["src"].string, xcod: venda["xcod"].string,
            utmSource: venda["utm_source"].string, utmMedium: venda["utm_medium"].string,
            utmCampaign: venda["utm_campaign"].string, utmContent: venda["utm_content"].string,
            utmTerm: venda["utm_term"].string
        )

        let occurredAt: Date
        switch status {
        case .approved:
            occurredAt = SalesTime.date(venda["dataFinalizada"]) ?? SalesTime.date(venda["dataInicio"]) ?? context.receivedAt
        case .pending:
            occurredAt = SalesTime.date(venda["dataInicio"]) ?? context.receivedAt
        default:
            occurredAt = context.receivedAt
        }

        var method = paymentMethod(venda["formaPagamento"].string)
        if method == .unknown, rawEventType == "99" { method = .boleto }
        if method == .unknown, rawEventType == "98" { method = .card }

        let bumpItems = elements(json["venda_item_order_bump"])
        let productIDs = SalesField.ids([json["produto"]["codigo"]] + bumpItems.map { $0["produto"] })
        let quantity = venda["quantidade"].isNullOrMissing
            ? SalesField.itemCount(bumpItems.map { $0["quantidade"] }) ?? 1
            : SalesField.itemCount([venda["quantidade"]])

        return .conversion(Conversion(
            gateway: context.gateway, account: context.account, transactionID: transaction, status: status,
            rawEventType: rawEventType, value: value, currency: currency,
            paymentMethod: method,
            buyer: buyer,
            document: SalesPerson.brazilianDocument(c["cnpj_cpf"].string),
            ip: SalesPerson.ip(c["ip"].string),
            userAgent: SalesPerson.text(c["user_agent"].string),
            productIDs: productIDs,
            tracking: tracking,
            occurredAt: occurredAt,
            isTest: SalesPerson.isReservedExampleEmail(buyer.email),
            numItems: quantity
        ))
    }

    /// `venda[formaPagamento]`: "Cartão de crédito" → card, "Boleto" → boleto, "Pix" → pix,
    /// "Débito online", "Gratis", "Outra", … → other.
    static func paymentMethod(_ raw: String?) -> PaymentMethod {
        guard let raw = raw?.lowercased() else { return .unknown }
        if raw.contains("cart") || raw.contains("card") || raw.contains("créd") || raw.contains("cred") { return .card }
        if raw.contains("boleto") { return .boleto }
        if raw.contains("pix") { return .pix }
        return .other
    }

    // MARK: - PHP form → tree

    /// Deepest `a[b][c]…` nesting honoured; deeper names are dropped.
    static let maxFormDepth = 8

    /// Builds PHP's `$_POST` shape: `venda[codigo]=1` → `{"venda": {"codigo": "1"}}`; `a[]=x`
    /// appends under the next integer key. The first occurrence of a name wins (as for
    /// `chave_unica` in authentication). Arrays are objects with "0", "1", … keys; read them
    /// with ``elements(_:)``.
    static func formTree(_ pairs: [(String, String)]) -> JSONValue {
        var root = FormNode()
        for (name, value) in pairs {
            guard let path = phpPath(name) else { continue }
            root.insert(path[...], value: value)
        }
        return root.json
    }

    /// "venda[codigo]" → ["venda", "codigo"]; "a[]" → ["a", ""]; "plain" → ["plain"]. Nil for
    /// an empty base name or nesting deeper than ``maxFormDepth``. Like PHP, text after the
    /// last `]` is ignored and an unclosed `[` makes the name literal.
    static func phpPath(_ name: String) -> [String]? {
        guard let open = name.firstIndex(of: "[") else { return name.isEmpty ? nil : [name] }
        let base = String(name[..<open])
        guard !base.isEmpty else { return nil }
        var path = [base]
        var rest = name[open...]
        while rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else {
                return path.count == 1 ? [name] : path
            }
            path.append(String(rest[rest.index(after: rest.startIndex)..<close]))
            guard path.count <= maxFormDepth + 1 else { return nil }
            rest = rest[rest.index(after: close)...]
        }
        return path
    }

    /// Elements of a JSON array, or of a PHP-style object keyed "0", "1", … (in key order).
    static func elements(_ value: JSONValue?) -> [JSONValue] {
        if let array = value.arrayElements { return array }
        guard let members = value.objectMembers else { return [] }
        return members.compactMap { key, value in Int(key).map { ($0, value) } }
            .sorted { $0.0 < $1.0 }
            .map(\.1)
    }

    /// A mutable tree for building the form; converted to `JSONValue` at the end.
    private struct FormNode {
        var value: String?
        var children: [String: FormNode] = [:]
        var nextIndex = 0

        mutating func insert(_ path: ArraySlice<String>, value newValue: String) {
            guard let head = path.first else {
                if value == nil, children.isEmpty { value = newValue }
                return
            }
            guard value == nil else { return } // a scalar already holds this name
            var key = head
            if key.isEmpty {
                key = String(nextIndex)
            }
            if let i = Int(key), i >= nextIndex { nextIndex = i + 1 }
            var child = children[key] ?? FormNode()
            if path.count == 1, child.value != nil || !child.children.isEmpty { return } // first wins
            child.insert(path.dropFirst(), value: newValue)
            children[key] = child
        }

        var json: JSONValue {
            if let value { return .string(value) }
            return .object(children.mapValues(\.json))
        }
    }
}
