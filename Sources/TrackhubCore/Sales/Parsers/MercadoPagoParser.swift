import Foundation

/// Mercado Pago, in two steps.
///
/// 1. The webhook (`{id, live_mode, type: "payment", action: "payment.updated", data: {id}}`,
///    with `?data.id=…&type=payment` in the URL; legacy IPN: `?topic=payment&id=…`, maybe with
///    no body) names a payment and nothing else → ``ParseResult/needsFetch(_:)``. The query's
///    `data.id` wins: it is the value `x-signature` covers. A body `data.id` that differs from it
///    is refused (the body is not signed, so it could redirect the fetch). Ids must be ASCII
///    letters/digits (payment ids are numeric), which keeps the fetch URL safe. Other topics
///    (merchant_order, subscriptions, chargeback and claim notices, point, …) are ignored —
///    a chargeback also turns the payment's status to `charged_back`, which arrives as a
///    `payment.updated`.
/// 2. The fetched `GET /v1/payments/{id}` body → the conversion, by `status`:
///
/// | status | conversion |
/// |---|---|
/// | approved | approved |
/// | pending, in_process, authorized | pending |
/// | refunded | refunded (value = `transaction_amount_refunded` when set) |
/// | charged_back | chargeback |
/// | in_mediation (dispute open; ends as charged_back or back to approved) | other |
/// | cancelled, rejected | canceled |
/// | anything else | ignored |
///
/// (The status list is UNVERIFIED in the reference; these are the values of Mercado Pago's
/// payment API.) Fields: transaction `id`; value `transaction_amount`; currency `currency_id`;
/// method `payment_type_id` (credit_card/debit_card/prepaid_card → card, ticket → boleto when
/// `payment_method_id` is a boleto, bank_transfer + `payment_method_id` pix → pix); buyer
/// `payer.{email, first_name, last_name, identification, phone}` completed by
/// `additional_info.payer`; IP `additional_info.ip_address`; tracking `external_reference`
/// (→ clientReferenceID) and `metadata`; products `additional_info.items[].id`; time
/// `date_approved` when approved, else `date_last_updated`. `live_mode: false` → isTest.
enum MercadoPagoParser {
    static let maxPaymentIDLength = 64

    static func parseWebhook(body: [UInt8], query: [(String, String)]) throws(SalesReject) -> ParseResult {
        let hasBody = body.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        var json: JSONValue?
        if hasBody { json = try GatewayParser.jsonObject(body) }

        let queryType = QueryString.first("type", in: query) ?? QueryString.first("topic", in: query)
        let bodyType = json["type"].string ?? json["topic"].string
            ?? json["action"].string.flatMap { $0.split(separator: ".").first.map(String.init) }
        guard let typeRaw = bodyType ?? queryType.flatMap(SalesPerson.text) else {
            throw .malformed("missing event type (type)")
        }
        let type = SalesField.sanitizedEventType(typeRaw)
        guard type == "payment" else {
            throw .ignored("Mercado Pago notification topic is not a payment", eventType: type)
        }

        let queryID = SalesPerson.text(QueryString.first("data.id", in: query))
            ?? (queryType == "payment" ? SalesPerson.text(QueryString.first("id", in: query)) : nil)
        let bodyID = json["data"]["id"].string
        if let queryID, let bodyID, queryID != bodyID {
            throw .malformed("payment id in the query (data.id) and the body (data.id) differ")
        }
        guard let paymentID = queryID ?? bodyID else { throw .malformed("missing payment id (data.id)") }
        guard paymentID.utf8.count <= maxPaymentIDLength,
              paymentID.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x7A).contains($0 | 0x20) })
        else { throw .malformed("payment id (data.id) has an unusable format") }
        return .needsFetch(MercadoPagoPaymentRef(paymentID: paymentID))
    }

    static let statuses: [String: ConversionStatus] = [
        "approved": .approved,
        "pending": .pending, "in_process": .pending, "authorized": .pending,
        "refunded": .refunded,
        "charged_back": .chargeback,
        "in_mediation": .other,
        "cancelled": .canceled, "canceled": .canceled, "rejected": .canceled,
    ]

    static func parsePayment(json: JSONValue, context: SalesContext) throws(SalesReject) -> ParseResult {
        let statusText = try SalesField.eventType(json["status"], field: "status")
        guard let status = statuses[statusText] else {
            throw .ignored("Mercado Pago payment status not mapped to a sale status", eventType: statusText)
        }
        let transaction = try SalesField.transactionID(json["id"], field: "id")
        let value: Decimal
        if status == .refunded, let refunded = json["transaction_amount_refunded"].decimal, refunded > 0 {
            value = try SalesField.amount(json["transaction_amount_refunded"], field: "transaction_amount_refunded")
        } else {
            value = try SalesField.amount(json["transaction_amount"], field: "transaction_amount")
        }
        let currency = try SalesField.currency([json["currency_id"]], field: "currency_id")

        let payer = json["payer"]
        let extra = json["additional_info"]["payer"]
        let identification = payer["identification"]
        var document: String?
        if let type = identification["type"].string?.uppercased(), type == "CPF" || type == "CNPJ" {
            document = SalesPerson.brazilianDocument(identification["number"].string)
        }
        let buyer = RawUserData(
            email: payer["email"].string,
            phone: phone(payer["phone"]) ?? phone(extra["phone"]),
            firstName: payer["first_name"].string ?? extra["first_name"].string,
            lastName: payer["last_name"].string ?? extra["last_name"].string,
            city: extra["address"]["city"].string,
            state: extra["address"]["state"].string ?? extra["address"]["federal_unit"].string,
            zip: extra["address"]["zip_code"].string
        )

        let items = json["additional_info"]["items"].arrayElements ?? []
        let approvedAt = SalesTime.date(json["date_approved"])
        let updatedAt = SalesTime.date(json["date_last_updated"])
        let createdAt = SalesTime.date(json["date_created"])
        let occurredAt = (status == .approved ? approvedAt ?? updatedAt : updatedAt ?? approvedAt)
            ?? createdAt ?? context.receivedAt

        return .conversion(Conversion(
            gateway: context.gateway, account: context.account, transactionID: transaction, status: status,
            rawEventType: statusText, value: value, currency: currency,
            paymentMethod: paymentMethod(type: json["payment_type_id"].string, method: json["payment_method_id"].string),
            buyer: buyer,
            document: document,
            ip: SalesPerson.ip(json["additional_info"]["ip_address"].string),
            productIDs: SalesField.ids(items.map { $0["id"] }),
            tracking: TrackingParameters(metadata: json["metadata"].stringMap,
                                         clientReferenceID: json["external_reference"].string),
            occurredAt: occurredAt,
            isTest: json["live_mode"].bool == false,
            numItems: SalesField.itemCount(items.map { $0["quantity"] })
        ))
    }

    /// `{area_code, number}` → "11987654321" (national; the normalizer adds the country).
    static func phone(_ value: JSONValue?) -> String? {
        guard let number = SalesPerson.digits(value["number"].string) else { return nil }
        return (SalesPerson.digits(value["area_code"].string) ?? "") + number
    }

    static func paymentMethod(type: String?, method: String?) -> PaymentMethod {
        let method = method?.lowercased()
        if method == "pix" { return .pix }
        guard let type = type?.lowercased() else { return method == nil ? .unknown : .other }
        switch type {
        case "credit_card", "debit_card", "prepaid_card": return .card
        case "ticket": return method.map { $0.hasPrefix("bol") || $0 == "boleto" } == true ? .boleto : .other
        default: return .other
        }
    }
}
