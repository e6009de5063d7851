import Foundation

/// Kiwify order webhooks: a flat JSON object (`order_id`, `webhook_event_type`, `order_status`,
/// `Customer`, `Product`, `Commissions`, `TrackingParameters`, …).
///
/// Kiwify's official field table was not available (reference §2.2: payload keys observed in
/// public integrations); names below are those observed, and the parser accepts the known
/// aliases. Event → status, by `webhook_event_type` (Portuguese trigger names accepted too):
/// | webhook_event_type | status |
/// |---|---|
/// | order_approved (order_paid, compra_aprovada) | approved |
/// | subscription_renewed | `order_status` if known, else approved |
/// | billet_created, pix_created (boleto_gerado, pix_gerado) | pending |
/// | order_refunded (compra_reembolsada) | refunded |
/// | chargeback (order_chargeback, chargedback) | chargeback |
/// | order_rejected (compra_recusada, order_refused) | canceled |
/// | others (subscription_canceled, subscription_late, carrinho_abandonado, …) | ignored |
///
/// Without `webhook_event_type` the `order_status` decides (paid, waiting_payment, refunded,
/// chargedback, refused). The chargeback event-type string is UNVERIFIED, hence the aliases.
///
/// Value: `Commissions.charge_amount` in cents (integer or digit string; a string with a
/// decimal separator is refused, not guessed), else `Commissions.product_base_price`;
/// currency `Commissions.currency`, else `product_base_price_currency`, else BRL (Kiwify sells
/// in BRL). Dates ("2024-01-15 14:32") are Brasília time.
///
/// Test deliveries (Kiwify's "Testar webhook": John Doe at example.com, null
/// `TrackingParameters`) are recognised by the reserved example email domain.
enum KiwifyParser {
    static let eventStatus: [String: ConversionStatus] = [
        "order_approved": .approved, "order_paid": .approved, "compra_aprovada": .approved,
        "billet_created": .pending, "pix_created": .pending, "boleto_gerado": .pending, "pix_gerado": .pending,
        "order_refunded": .refunded, "compra_reembolsada": .refunded,
        "chargeback": .chargeback, "order_chargeback": .chargeback, "chargedback": .chargeback,
        "order_chargedback": .chargeback,
        "order_rejected": .canceled, "compra_recusada": .canceled, "order_refused": .canceled,
    ]

    static let orderStatus: [String: ConversionStatus] = [
        "paid": .approved, "approved": .approved,
        "waiting_payment": .pending,
        "refunded": .refunded,
        "chargedback": .chargeback, "chargeback": .chargeback,
        "refused": .canceled, "canceled": .canceled, "cancelled": .canceled,
    ]

    static func parse(json root: JSONValue, context: SalesContext) throws(SalesReject) -> ParseResult {
        // Some relays wrap the order as {"order": {...}}; accept that shape too.
        let json: JSONValue
        if root["order_id"] == nil, let inner = root["order"], inner["order_id"] != nil {
            json = inner
        } else {
            json = root
        }
        var eventType: String?
        if !json["webhook_event_type"].isNullOrMissing {
            eventType = try SalesField.eventType(json["webhook_event_type"], field: "webhook_event_type")
        }
        let statusText = json["order_status"].string?.lowercased()
        let status: ConversionStatus
        let rawEventType: String
        if let eventType {
            rawEventType = eventType
            if eventType.lowercased() == "subscription_renewed" {
                status = statusText.flatMap { orderStatus[$0] } ?? .approved
            } else if let mapped = eventStatus[eventType.lowercased()] {
                status = mapped
            } else {
                throw .ignored("Kiwify event type not mapped to a sale status", eventType: eventType)
            }
        } else if let statusText {
            rawEventType = SalesField.sanitizedEventType(statusText)
            guard let mapped = orderStatus[statusText] else {
                throw .ignored("Kiwify order_status not mapped to a sale status", eventType: rawEventType)
            }
            status = mapped
        } else {
            throw .malformed("missing event type (webhook_event_type, order_status)")
        }

        let transaction = try SalesField.transactionID(json["order_id"], field: "order_id")
        let commissions = json["Commissions"]
        let value: Decimal
        if !commissions["charge_amount"].isNullOrMissing || commissions["product_base_price"].isNullOrMissing {
            value = try SalesField.minorUnits(commissions["charge_amount"], field: "Commissions.charge_amount", exponent: 2)
        } else {
            value = try SalesField.minorUnits(commissions["product_base_price"], field: "Commissions.product_base_price",
                                              exponent: 2)
        }
        let currency = try SalesField.currency(
            [commissions["currency"], commissions["product_base_price_currency"]],
            field: "Commissions.currency", fallback: "BRL")

        let customer = json["Customer"]
        let split = SalesPerson.splitName(customer["full_name"].string)
        let buyer = RawUserData(
            email: customer["email"].string,
            phone: customer["mobile"].string ?? customer["phone"].string,
            firstName: customer["first_name"].string ?? split.first,
            lastName: customer["last_name"].string ?? split.last,
            city: customer["city"].string,
            state: customer["state"].string,
            zip: customer["zipcode"].string ?? customer["zip_code"].string,
            country: customer["country"].string
        )

        let t = json["TrackingParameters"]
        let tracking = TrackingParameters(
            sck: t["sck"].string, src: t["src"].string, xcod: t["xcod"].string,
            utmSource: t["utm_source"].string, utmMedium: t["utm_medium"].string,
            utmCampaign: t["utm_campaign"].string, utmContent: t["utm_content"].string, utmTerm: t["utm_term"].string,
            s1: t["s1"].string, s2: t["s2"].string, s3: t["s3"].string
        )

        let updated = SalesTime.date(json["updated_at"])
        let created = SalesTime.date(json["created_at"])
        let occurredAt: Date
        switch status {
        case .approved:
            occurredAt = SalesTime.date(json["approved_date"]) ?? updated ?? created ?? context.receivedAt
        case .refunded:
            occurredAt = SalesTime.date(json["refunded_at"]) ?? updated ?? created ?? context.receivedAt
        default:
            occurredAt = updated ?? created ?? context.receivedAt
        }

        let product = json["Product"]
        return .conversion(Conversion(
            gateway: context.gateway, account: context.account, transactionID: transaction, status: status,
            rawEventType: rawEventType, value: value, currency: currency,
            paymentMethod: paymentMethod(json["payment_method"].string),
            buyer: buyer,
            document: SalesPerson.brazilianDocument(customer["CPF"].string ?? customer["cpf"].string
                ?? customer["CNPJ"].string ?? customer["cnpj"].string),
            ip: SalesPerson.ip(customer["ip"].string),
            productIDs: SalesField.ids([product["product_id"]]),
            tracking: tracking,
            occurredAt: occurredAt,
            isTest: SalesPerson.isReservedExampleEmail(buyer.email),
            numItems: 1
        ))
    }

    /// `payment_method`: credit_card / card → card; pix; boleto / billet; others → other.
    static func paymentMethod(_ raw: String?) -> PaymentMethod {
        guard let raw = raw?.lowercased() else { return .unknown }
        switch raw {
        case "credit_card", "card", "debit_card": return .card
        case "pix": return .pix
        case "boleto", "billet", "bank_slip": return .boleto
        default: return .other
        }
    }
}
