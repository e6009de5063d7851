import Foundation

/// Hotmart webhook ("postback") v2.0.0: `{id, creation_date (ms), event, version, data, hottok}`.
///
/// Event → status:
/// | event | status |
/// |---|---|
/// | PURCHASE_APPROVED, PURCHASE_COMPLETE | approved (same transaction → same Purchase event id) |
/// | PURCHASE_BILLET_PRINTED, PURCHASE_WAITING_PAYMENT | pending |
/// | PURCHASE_REFUNDED | refunded |
/// | PURCHASE_CHARGEBACK | chargeback |
/// | PURCHASE_PROTEST (dispute opened), PURCHASE_DELAYED (recurring charge late) | other |
/// | PURCHASE_CANCELED, PURCHASE_CANCELLED, PURCHASE_EXPIRED | canceled |
/// | anything else (SUBSCRIPTION_CANCELLATION, SWITCH_PLAN, CLUB_*, PURCHASE_OUT_OF_SHOPPING_CART, …) | ignored |
///
/// PURCHASE_PROTEST is `other`, not `chargeback`: Hotmart sends PURCHASE_CHARGEBACK (or
/// PURCHASE_REFUNDED) when the dispute ends, and a dispute the producer wins must not count as
/// a chargeback.
///
/// Fields: transaction `data.purchase.transaction`; value `data.purchase.price.value`, currency
/// `price.currency_value` (then `full_price`, `original_offer_price`); time
/// `data.purchase.approved_date` (ms) when approved, else the envelope's `creation_date`
/// (then `order_date`); tracking `data.purchase.origin.{sck, src, xcod}` — observed in
/// production deliveries, absent from Hotmart's test payload, not in an official field table —
/// with `purchase.sckPaymentLink` as the `sck` fallback; buyer `data.buyer.*` with
/// `checkout_phone_code` + `checkout_phone`, `address.{city, state, zipcode, country_iso}`,
/// `document`, and `data.purchase.buyer_ip`; product `data.product.id`.
///
/// Test deliveries ("Enviar teste" in Hotmart) are recognised by `data.product.id == 0` or a
/// buyer email at a reserved example domain.
enum HotmartParser {
    static let approved: Set<String> = ["PURCHASE_APPROVED", "PURCHASE_COMPLETE"]
    static let pending: Set<String> = ["PURCHASE_BILLET_PRINTED", "PURCHASE_WAITING_PAYMENT"]
    static let canceled: Set<String> = ["PURCHASE_CANCELED", "PURCHASE_CANCELLED", "PURCHASE_EXPIRED"]
    static let other: Set<String> = ["PURCHASE_PROTEST", "PURCHASE_DELAYED"]

    static func status(for event: String) -> ConversionStatus? {
        if approved.contains(event) { return .approved }
        if pending.contains(event) { return .pending }
        if canceled.contains(event) { return .canceled }
        if other.contains(event) { return .other }
        switch event {
        case "PURCHASE_REFUNDED": return .refunded
        case "PURCHASE_CHARGEBACK": return .chargeback
        default: return nil
        }
    }

    static func parse(json: JSONValue, context: SalesContext) throws(SalesReject) -> ParseResult {
        let event = try SalesField.eventType(json["event"], field: "event")
        guard let status = status(for: event) else {
            throw .ignored("Hotmart event type not mapped to a sale status", eventType: event)
        }
        let data = json["data"]
        guard data?.objectMembers != nil else { throw .malformed("missing data object (data)") }
        let purchase = data["purchase"]
        guard purchase?.objectMembers != nil else { throw .malformed("missing purchase object (data.purchase)") }
        let transaction = try SalesField.transactionID(purchase["transaction"], field: "data.purchase.transaction")
        let value = try SalesField.amount(purchase["price"]["value"], field: "data.purchase.price.value")
        let currency = try SalesField.currency(
            [purchase["price"]["currency_value"], purchase["full_price"]["currency_value"],
             purchase["original_offer_price"]["currency_value"]],
            field: "data.purchase.price.currency_value")

        // Buyer.
        let buyerJSON = data["buyer"]
        let address = buyerJSON["address"]
        var first = SalesPerson.text(buyerJSON["first_name"].string)
        var last = SalesPerson.text(buyerJSON["last_name"].string)
        if first == nil || last == nil {
            let split = SalesPerson.splitName(buyerJSON["name"].string)
            first = first ?? split.first
            last = last ?? split.last
        }
        let buyer = RawUserData(
            email: buyerJSON["email"].string,
            phone: SalesPerson.phone(number: buyerJSON["checkout_phone"].string,
                                     callingCode: buyerJSON["checkout_phone_code"].string),
            firstName: first,
            lastName: last,
            city: address["city"].string,
            state: address["state"].string,
            zip: address["zipcode"].string ?? address["zip_code"].string,
            country: address["country_iso"].string ?? address["country"].string
                ?? purchase["checkout_country"]["iso"].string
        )

        // Tracking: origin.{sck, src, xcod}; sckPaymentLink when there is no origin.sck.
        let origin = purchase["origin"]
        let tracking = TrackingParameters(
            sck: origin["sck"].string ?? purchase["sckPaymentLink"].string,
            src: origin["src"].string,
            xcod: origin["xcod"].string
        )

        // Time: approval when approved, else the event's creation.
        let approvedAt = SalesTime.date(purchase["approved_date"])
        let eventAt = SalesTime.date(json["creation_date"]) ?? SalesTime.date(purchase["order_date"])
        let occurredAt = (status == .approved ? approvedAt ?? eventAt : eventAt ?? approvedAt) ?? context.receivedAt

        let orderBump = purchase["order_bump"]
        let orderBumpParent = orderBump["is_order_bump"]?.bool == true
            ? orderBump["parent_purchase_transaction"].string : nil

        let product = data["product"]
        let isTest = product["id"]?.int64 == 0 || SalesPerson.isReservedExampleEmail(buyer.email)

        return .conversion(Conversion(
            gateway: context.gateway, account: context.account, transactionID: transaction, status: status,
            rawEventType: event, value: value, currency: currency,
            paymentMethod: paymentMethod(purchase["payment"]["type"].string),
            buyer: buyer,
            document: SalesPerson.brazilianDocument(buyerJSON["document"].string),
            ip: SalesPerson.ip(purchase["buyer_ip"].string),
            productIDs: SalesField.ids([product["id"]]),
            tracking: tracking,
            occurredAt: occurredAt,
            orderBumpParent: orderBumpParent,
            isTest: isTest,
            numItems: 1
        ))
    }

    /// `purchase.payment.type`: CREDIT_CARD, DEBIT_CARD, HOTCARD, GOOGLE_PAY, APPLE_PAY → card;
    /// PIX; BILLET → boleto; PAYPAL, WALLET, MULTIPLE_PAYMENTS, … → other.
    static func paymentMethod(_ type: String?) -> PaymentMethod {
        guard let type = type?.uppercased() else { return .unknown }
        switch type {
        case "CREDIT_CARD", "DEBIT_CARD", "HOTCARD", "GOOGLE_PAY", "APPLE_PAY", "CARD": return .card
        case "PIX": return .pix
        case "BILLET", "BOLETO": return .boleto
        default: return .other
        }
    }
}
