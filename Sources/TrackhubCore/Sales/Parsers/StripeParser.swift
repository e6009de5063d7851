import Foundation

/// Stripe webhook events: `{id, object: "event", type, created, livemode, data: {object}}`.
///
/// | event type | status |
/// |---|---|
/// | checkout.session.completed | `payment_status` paid → approved, unpaid → pending, no_payment_required → other; setup mode → ignored |
/// | checkout.session.async_payment_succeeded | approved |
/// | checkout.session.async_payment_failed | canceled |
/// | payment_intent.succeeded, charge.succeeded | approved |
/// | invoice.paid | approved; other when `amount_paid` is 0 (trial, 100% coupon) |
/// | payment_intent.processing | pending |
/// | payment_intent.requires_action | pending when the next action is a voucher or QR code (boleto, PIX, OXXO, …); ignored otherwise (3-D Secure) |
/// | payment_intent.canceled | canceled |
/// | charge.refunded | refunded (value = amount refunded so far) |
/// | charge.dispute.created | chargeback (Stripe withdraws the funds when a dispute opens) |
/// | anything else | ignored |
///
/// Transaction id — chosen so every event about one payment names the same transaction:
/// - Checkout Session: `payment_intent` in payment mode; `invoice` in subscription mode; else
///   the session id.
/// - PaymentIntent / Charge: the `invoice` they belong to when the API version still links it;
///   else the PaymentIntent id (`payment_intent` on a charge); else the object id.
/// - Invoice: the invoice id. Dispute: `payment_intent`, else `charge`.
/// A session and its `payment_intent.succeeded` (and the charge's refund/dispute) therefore
/// share one transaction. Caveat (newer API versions no longer link PaymentIntents to
/// invoices): for subscriptions, subscribe to `checkout.session.*`/`invoice.paid` *or*
/// `payment_intent.*`, not both.
///
/// Amounts are integer minor units, converted by the currency's exponent (JPY 0, BRL/USD 2,
/// KWD 3; see `SalesCurrency.stripeExponent`). Time: the event's `created` (for a success
/// event, when the payment succeeded). Test-mode events (`livemode: false`) are `isTest`.
/// Tracking: the object's `metadata` and the session's `client_reference_id`.
enum StripeParser {
    static func parse(json: JSONValue, context: SalesContext) throws(SalesReject) -> ParseResult {
        let type = try SalesField.eventType(json["type"], field: "type")
        let object = json["data"]["object"]

        let status: ConversionStatus
        switch type {
        case "checkout.session.completed":
            try requireObject(object)
            if object["mode"].string == "setup" {
                throw .ignored("Stripe setup-mode session is not a sale", eventType: type)
            }
            switch object["payment_status"].string {
            case "paid": status = .approved
            case "unpaid": status = .pending
            case "no_payment_required": status = .other
            default: throw .malformed("unknown payment_status (data.object.payment_status)")
            }
        case "checkout.session.async_payment_succeeded", "payment_intent.succeeded", "charge.succeeded":
            status = .approved
        case "invoice.paid":
            // A $0 invoice (trial, 100% coupon) moved no money: recorded, never a Purchase.
            status = object["amount_paid"].int64 == 0 ? .other : .approved
        case "checkout.session.async_payment_failed", "payment_intent.canceled":
            status = .canceled
        case "payment_intent.processing":
            status = .pending
        case "payment_intent.requires_action":
            try requireObject(object)
            guard let next = object["next_action"]["type"].string, voucherActions.contains(next) else {
                throw .ignored("Stripe payment needs customer action that is not a voucher or QR code", eventType: type)
            }
            status = .pending
        case "charge.refunded":
            status = .refunded
        case "charge.dispute.created":
            status = .chargeback
        default:
            throw .ignored("Stripe event type not mapped to a sale status", eventType: type)
        }
        try requireObject(object)

        let kind = type.split(separator: ".").first.map(String.init) ?? ""
        let sub = type.hasPrefix("charge.dispute.") ? "dispute" : type.hasPrefix("checkout.session.") ? "session" : kind
        let currency = try SalesField.currency([object["currency"]], field: "data.object.currency")
        let exponent = SalesCurrency.stripeExponent(currency)

        let transaction: String
        let value: Decimal
        var buyer = RawUserData()
        var document: String?
        var productIDs: [String] = []
        var numItems: Int?
        var method = PaymentMethod.unknown
        var clientReference: String?

        switch sub {
        case "session":
            let mode = object["mode"].string
            let txField = mode == "subscription" ? "invoice" : "payment_intent"
            transaction = try SalesField.transactionID(
                id(object[txField]) ?? object["id"], field: "data.object.\(txField) or data.object.id")
            value = try SalesField.minorUnits(object["amount_total"], field: "data.object.amount_total", exponent: exponent)
            let details = object["customer_details"]
            buyer = person(email: details["email"].string ?? object["customer_email"].string,
                           name: details["name"].string, phone: details["phone"].string, address: details["address"])
            document = taxDocument(details["tax_ids"])
            method = singleMethod(object["payment_method_types"])
            clientReference = object["client_reference_id"].string
            let lines = object["line_items"]["data"].arrayElements ?? []
            productIDs = SalesField.ids(lines.map { id($0["price"]["product"]) })
            numItems = SalesField.itemCount(lines.map { $0["quantity"] })
            if let intent = object["payment_intent"], intent.objectMembers != nil, method == .unknown {
                method = intentMethod(intent)
            }
        case "payment_intent":
            transaction = try SalesField.transactionID(
                id(object["invoice"]) ?? object["id"], field: "data.object.id")
            let received = object["amount_received"]
            if let r = received.int64, r > 0 {
                value = try SalesField.minorUnits(received, field: "data.object.amount_received", exponent: exponent)
            } else {
                value = try SalesField.minorUnits(object["amount"], field: "data.object.amount", exponent: exponent)
            }
            let charge = latestCharge(object)
            let billing = charge["billing_details"]
            let shipping = object["shipping"]
            buyer = person(email: billing["email"].string ?? object["receipt_email"].string ?? charge["receipt_email"].string,
                           name: billing["name"].string ?? shipping["name"].string,
                           phone: billing["phone"].string ?? shipping["phone"].string,
                           address: billing["address"].objectMembers != nil ? billing["address"] : shipping["address"])
            method = intentMethod(object)
        case "charge":
            transaction = try SalesField.transactionID(
                id(object["invoice"]) ?? id(object["payment_intent"]) ?? object["id"],
                field: "data.object.payment_intent or data.object.id")
            let refunded = object["amount_refunded"]
            if status == .refunded, let r = refunded.int64, r > 0 {
                value = try SalesField.minorUnits(refunded, field: "data.object.amount_refunded", exponent: exponent)
            } else {
                value = try SalesField.minorUnits(object["amount"], field: "data.object.amount", exponent: exponent)
            }
            let billing = object["billing_details"]
            buyer = person(email: billing["email"].string ?? object["receipt_email"].string, name: billing["name"].string,
                           phone: billing["phone"].string, address: billing["address"])
            method = stripeMethod(object["payment_method_details"]["type"].string)
        case "dispute":
            transaction = try SalesField.transactionID(
                id(object["payment_intent"]) ?? id(object["charge"]), field: "data.object.payment_intent or data.object.charge")
            value = try SalesField.minorUnits(object["amount"], field: "data.object.amount", exponent: exponent)
            let evidence = object["evidence"]
            buyer = person(email: evidence["customer_email_address"].string, name: evidence["customer_name"].string,
                           phone: nil, address: nil)
            method = stripeMethod(object["payment_method_details"]["type"].string)
        case "invoice":
            transaction = try SalesField.transactionID(object["id"], field: "data.object.id")
            let paid = object["amount_paid"]
            value = try SalesField.minorUnits(paid.isNullOrMissing ? object["total"] : paid,
                                              field: "data.object.amount_paid", exponent: exponent)
            buyer = person(email: object["customer_email"].string, name: object["customer_name"].string,
                           phone: object["customer_phone"].string, address: object["customer_address"])
            document = taxDocument(object["customer_tax_ids"])
            let lines = object["lines"]["data"].arrayElements ?? []
            productIDs = SalesField.ids(lines.map {
                id($0["price"]["product"]) ?? id($0["pricing"]["price_details"]["product"]) ?? id($0["plan"]["product"])
            })
            numItems = SalesField.itemCount(lines.map { $0["quantity"] })
        default:
            throw .ignored("Stripe event type not mapped to a sale status", eventType: type)
        }

        var metadata = object["metadata"].stringMap
        if sub == "invoice" {
            for (key, value) in object["subscription_details"]["metadata"].stringMap where metadata[key] == nil {
                metadata[key] = value
            }
        }

        let occurredAt = SalesTime.date(json["created"]) ?? SalesTime.date(object["created"]) ?? context.receivedAt
        let livemode = json["livemode"].bool ?? object["livemode"].bool ?? true

        return .conversion(Conversion(
            gateway: context.gateway, account: context.account, transactionID: transaction, status: status,
            rawEventType: type, value: value, currency: currency, paymentMethod: method,
            buyer: buyer, document: document,
            productIDs: productIDs,
            tracking: TrackingParameters(metadata: metadata, clientReferenceID: clientReference),
            occurredAt: occurredAt,
            isTest: !livemode,
            numItems: numItems
        ))
    }

    /// `next_action.type` values that mean "the buyer pays later with this voucher/QR code".
    static let voucherActions: Set<String> = [
        "boleto_display_details", "pix_display_qr_code", "oxxo_display_details", "konbini_display_details",
        "display_bank_transfer_instructions", "multibanco_display_details",
    ]

    static func requireObject(_ object: JSONValue?) throws(SalesReject) {
        guard object.objectMembers != nil else { throw .malformed("missing event object (data.object)") }
    }

    /// An id field that may be expanded into an object (`"pi_…"` or `{"id": "pi_…", …}`).
    static func id(_ value: JSONValue?) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        if value.objectMembers != nil { return value["id"] }
        return value.string == nil ? nil : value
    }

    /// The charge of a PaymentIntent when it is in the payload: an expanded `latest_charge`, or
    /// `charges.data[0]` (API versions before 2022-11-15).
    static func latestCharge(_ intent: JSONValue?) -> JSONValue? {
        if let charge = intent["latest_charge"], charge.objectMembers != nil { return charge }
        return intent["charges"]["data"].arrayElements?.first
    }

    static func intentMethod(_ intent: JSONValue?) -> PaymentMethod {
        if let type = latestCharge(intent)["payment_method_details"]["type"].string { return stripeMethod(type) }
        if let type = intent["payment_method"]["type"].string { return stripeMethod(type) }
        return singleMethod(intent["payment_method_types"])
    }

    /// A method list with exactly one entry says how the buyer paid; several do not.
    static func singleMethod(_ types: JSONValue?) -> PaymentMethod {
        guard let list = types.arrayElements, list.count == 1 else { return .unknown }
        return stripeMethod(list[0].string)
    }

    /// Stripe payment method types: card (wallets are cards), pix, boleto; others → other.
    static func stripeMethod(_ type: String?) -> PaymentMethod {
        guard let type else { return .unknown }
        switch type {
        case "card", "card_present", "interac_present": return .card
        case "pix": return .pix
        case "boleto": return .boleto
        default: return .other
        }
    }

    static func person(email: String?, name: String?, phone: String?, address: JSONValue?) -> RawUserData {
        let split = SalesPerson.splitName(name)
        return RawUserData(
            email: email, phone: phone, firstName: split.first, lastName: split.last,
            city: address["city"].string, state: address["state"].string, zip: address["postal_code"].string,
            country: address["country"].string
        )
    }

    /// A Brazilian CPF/CNPJ among Stripe tax ids (`[{type: "br_cpf", value: "…"}]`).
    static func taxDocument(_ taxIDs: JSONValue?) -> String? {
        for entry in taxIDs.arrayElements ?? [] {
            guard let type = entry["type"].string, type == "br_cpf" || type == "br_cnpj" else { continue }
            if let document = SalesPerson.brazilianDocument(entry["value"].string) { return document }
        }
        return nil
    }
}
