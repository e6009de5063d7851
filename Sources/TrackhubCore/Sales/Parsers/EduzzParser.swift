import Foundation

/// Eduzz Webhook v3 (integrations.eduzz.com): `{id, event, sentDate, data}`; MyEduzz invoice
/// events carry the invoice in `data` (eduzz/eduzz-webhook-docs `events/myeduzz/*.md`).
///
/// | event | status |
/// |---|---|
/// | myeduzz.invoice_paid | approved |
/// | myeduzz.invoice_waiting_payment, myeduzz.invoice_opened | pending |
/// | myeduzz.invoice_refunded | refunded |
/// | myeduzz.invoice_chargeback (UNVERIFIED: not in Eduzz's docs; community code uses it) | chargeback |
/// | myeduzz.invoice_canceled, invoice_expired, invoice_refused | canceled |
/// | myeduzz.invoice_waiting_refund (refund requested, not yet done) | other |
/// | anything else (contracts, commissions, cart_abandonment, other Eduzz products) | ignored |
///
/// Fields: transaction `data.id`; value `data.price.value` (a decimal number) and currency
/// `data.price.currency`; buyer `data.buyer.{name, email, cellphone|phone|phone2}` (plus
/// `document` and `address` if present); tracking `data.utm.{source, medium, campaign,
/// content, term}`; products `data.items[].productId`; payment `data.paymentMethod`
/// (creditCard, pix, bankslip, …). Time: `data.paidAt` / `data.refundedAt` when present, else
/// the envelope's `sentDate` (the invoice's `createdAt` can be days before a boleto is paid).
enum EduzzParser {
    static let statuses: [String: ConversionStatus] = [
        "invoice_paid": .approved,
        "invoice_waiting_payment": .pending, "invoice_opened": .pending,
        "invoice_refunded": .refunded,
        "invoice_chargeback": .chargeback, "invoice_chargedback": .chargeback,
        "invoice_canceled": .canceled, "invoice_cancelled": .canceled, "invoice_expired": .canceled,
        "invoice_refused": .canceled,
        "invoice_waiting_refund": .other,
    ]

    static let prefix = "myeduzz."

    static func parse(json: JSONValue, context: SalesContext) throws(SalesReject) -> ParseResult {
        let event = try SalesField.eventType(json["event"], field: "event")
        guard event.hasPrefix(prefix), let status = statuses[String(event.dropFirst(prefix.count))] else {
            throw .ignored("Eduzz event type not mapped to a sale status", eventType: event)
        }
        let data = json["data"]
        guard data?.objectMembers != nil else { throw .malformed("missing data object (data)") }
        let transaction = try SalesField.transactionID(data["id"], field: "data.id")
        let value = try SalesField.amount(data["price"]["value"], field: "data.price.value")
        let items = data["items"].arrayElements ?? []
        let currency = try SalesField.currency(
            [data["price"]["currency"]] + items.map { $0["price"]["currency"] }, field: "data.price.currency")

        let b = data["buyer"]
        let address = b["address"]
        let split = SalesPerson.splitName(b["name"].string)
        let buyer = RawUserData(
            email: b["email"].string,
            phone: b["cellphone"].string ?? b["phone"].string ?? b["phone2"].string,
            firstName: split.first,
            lastName: split.last,
            city: address["city"].string,
            state: address["state"].string,
            zip: address["zipCode"].string ?? address["zipcode"].string ?? address["zip"].string,
            country: address["country"].string
        )

        let utm = data["utm"]
        let tracking = TrackingParameters(
            utmSource: utm["source"].string, utmMedium: utm["medium"].string, utmCampaign: utm["campaign"].string,
            utmContent: utm["content"].string, utmTerm: utm["term"].string
        )

        let sent = SalesTime.date(json["sentDate"])
        let created = SalesTime.date(data["createdAt"])
        let occurredAt: Date
        switch status {
        case .approved: occurredAt = SalesTime.date(data["paidAt"]) ?? sent ?? created ?? context.receivedAt
        case .refunded: occurredAt = SalesTime.date(data["refundedAt"]) ?? sent ?? created ?? context.receivedAt
        default: occurredAt = sent ?? created ?? context.receivedAt
        }

        return .conversion(Conversion(
            gateway: context.gateway, account: context.account, transactionID: transaction, status: status,
            rawEventType: event, value: value, currency: currency,
            paymentMethod: paymentMethod(data["paymentMethod"].string),
            buyer: buyer,
            document: SalesPerson.brazilianDocument(b["document"].string),
            productIDs: SalesField.ids(items.map { $0["productId"] }),
            tracking: tracking,
            occurredAt: occurredAt,
            isTest: SalesPerson.isReservedExampleEmail(buyer.email),
            numItems: SalesField.itemCount(items.map { $0["quantity"] })
        ))
    }

    /// `paymentMethod`: creditCard/debitCard → card; pix; bankslip/boleto/billet → boleto;
    /// others (paypal, …) → other.
    static func paymentMethod(_ raw: String?) -> PaymentMethod {
        guard let raw = raw?.lowercased().filter({ $0.isLetter }) else { return .unknown }
        if raw.contains("card") || raw == "credit" || raw == "creditcard" { return .card }
        if raw.hasPrefix("pix") { return .pix }
        if raw.contains("bankslip") || raw.contains("boleto") || raw.contains("billet") { return .boleto }
        return .other
    }
}
