public import Foundation

/// Stripe (`Stripe-Signature: t=…,v1=HMAC-SHA256("t.body")`).
extension GatewayWebhooks {
    /// `object` as the body, signed at `signedAt` (an old time makes a replay Stripe refuses).
    public static func stripeSigned(_ object: [String: Any], secret: String, signedAt: Date = Date(), account: String = "main")
        -> GatewayDelivery
    {
        let body = json(object)
        return GatewayDelivery(target: "/webhooks/stripe/\(account)",
                               headers: [("Content-Type", "application/json; charset=utf-8"),
                                         ("Stripe-Signature", GatewaySignature.stripe(body: body, secret: secret, at: signedAt))],
                               body: body)
    }

    /// `checkout.session.completed` (paid) for PaymentIntent `paymentIntent`; the click id
    /// lands in the session's `metadata.click_id`.
    public static func stripeCheckoutCompleted(paymentIntent: String, buyer: GatewayBuyer, clickID: String?, amount: Int = 19_700,
                                        created: Date = Date(), livemode: Bool = true,
                                        secret: String, signedAt: Date = Date(), account: String = "main") -> GatewayDelivery {
        stripeCheckoutSession(type: "checkout.session.completed", paymentStatus: "paid", methods: ["card"], paymentIntent: paymentIntent,
                              buyer: buyer, clickID: clickID, amount: amount, created: created, livemode: livemode, secret: secret,
                              signedAt: signedAt, account: account)
    }

    /// A Checkout Session event: `type` checkout.session.completed with `paymentStatus` paid, or
    /// unpaid for a PIX/boleto still to be paid (then checkout.session.async_payment_succeeded,
    /// paid, when it is), as in `Tests/Fixtures/stripe/checkout_session_*.json`.
    public static func stripeCheckoutSession(type: String, paymentStatus: String, methods: [String], paymentIntent: String,
                                      buyer: GatewayBuyer, clickID: String?, amount: Int = 19_700, created: Date = Date(),
                                      livemode: Bool = true, secret: String, signedAt: Date = Date(),
                                      account: String = "main") -> GatewayDelivery {
        var metadata: [String: Any] = ["campaign": "mentoria_set"]
        if let clickID { metadata["click_id"] = clickID }
        return stripeEvent(type, created: created, livemode: livemode, secret: secret, signedAt: signedAt, account: account, object: [
            "id": "cs_live_" + UUID().uuidString.replacingOccurrences(of: "-", with: ""),
            "object": "checkout.session",
            "amount_subtotal": amount,
            "amount_total": amount,
            "client_reference_id": NSNull(),
            "created": Int64(created.timeIntervalSince1970) - 100,
            "currency": "brl",
            "customer": "cus_QtR5sV7wX9yZ1a",
            "customer_details": [
                "address": ["city": buyer.city, "country": "BR", "line1": "Rua XV de Novembro, 700", "line2": "conj. 41",
                            "postal_code": buyer.zip, "state": buyer.state],
                "email": buyer.email, "name": buyer.fullName, "phone": "+55" + buyer.phone, "tax_exempt": "none",
                "tax_ids": [["type": "br_cpf", "value": buyer.document]],
            ] as [String: Any],
            "customer_email": NSNull(),
            "invoice": NSNull(),
            "livemode": livemode,
            "locale": "pt-BR",
            "metadata": metadata,
            "mode": "payment",
            "payment_intent": paymentIntent,
            "payment_method_types": methods,
            "payment_status": paymentStatus,
            "status": "complete",
        ])
    }

    /// The envelope every Stripe event has around its `object` (and `previous` attributes, for
    /// an update), signed.
    static func stripeEvent(_ type: String, created: Date, livemode: Bool = true, secret: String, signedAt: Date, account: String,
                            object: [String: Any], previous: [String: Any]? = nil) -> GatewayDelivery {
        var data: [String: Any] = ["object": object]
        if let previous { data["previous_attributes"] = previous }
        return stripeSigned([
            "id": "evt_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24),
            "object": "event",
            "api_version": "2024-06-20",
            "created": Int64(created.timeIntervalSince1970),
            "data": data,
            "livemode": livemode,
            "pending_webhooks": 1,
            "request": ["id": NSNull(), "idempotency_key": NSNull()],
            "type": type,
        ], secret: secret, signedAt: signedAt, account: account)
    }

    /// `charge.refunded` (the whole amount) for the charge of PaymentIntent `paymentIntent`, as in
    /// `Tests/Fixtures/stripe/charge_refunded.json`.
    public static func stripeChargeRefunded(paymentIntent: String, buyer: GatewayBuyer, amount: Int = 19_700, method: String = "card",
                                     created: Date = Date(), secret: String, signedAt: Date = Date(),
                                     account: String = "main") -> GatewayDelivery {
        let suffix = paymentIntent.dropFirst(3)
        return stripeEvent("charge.refunded", created: created, secret: secret, signedAt: signedAt, account: account, object: [
            "id": "ch_\(suffix)",
            "object": "charge",
            "amount": amount,
            "amount_captured": amount,
            "amount_refunded": amount,
            "billing_details": [
                "address": ["city": buyer.city, "country": "BR", "line1": "Rua XV de Novembro, 700", "line2": "conj. 41",
                            "postal_code": buyer.zip, "state": buyer.state],
                "email": buyer.email, "name": buyer.fullName, "phone": "+55" + buyer.phone,
            ] as [String: Any],
            "captured": true,
            "created": Int64(created.timeIntervalSince1970) - 86_400,
            "currency": "brl",
            "customer": "cus_QtR5sV7wX9yZ1a",
            "disputed": false,
            "livemode": true,
            "metadata": [String: Any](),
            "paid": true,
            "payment_intent": paymentIntent,
            "payment_method_details": ["type": method],
            "receipt_email": buyer.email,
            "refunded": true,
            "status": "succeeded",
        ], previous: ["amount_refunded": 0, "refunded": false])
    }

    /// `payment_intent.succeeded` for the same payment (Stripe sends both when both are
    /// subscribed): the same transaction, so the same Purchase.
    public static func stripePaymentIntentSucceeded(paymentIntent: String, buyer: GatewayBuyer, clickID: String?, amount: Int = 19_700,
                                             created: Date = Date(), secret: String, account: String = "main") -> GatewayDelivery {
        var metadata: [String: Any] = [:]
        if let clickID { metadata["click_id"] = clickID }
        return stripeSigned([
            "id": "evt_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24),
            "object": "event",
            "api_version": "2024-06-20",
            "created": Int64(created.timeIntervalSince1970),
            "data": ["object": [
                "id": paymentIntent,
                "object": "payment_intent",
                "amount": amount,
                "amount_received": amount,
                "currency": "brl",
                "customer": "cus_QtR5sV7wX9yZ1a",
                "livemode": true,
                "metadata": metadata,
                "payment_method_types": ["card"],
                "receipt_email": buyer.email,
                "status": "succeeded",
            ] as [String: Any]],
            "livemode": true,
            "type": "payment_intent.succeeded",
        ], secret: secret, account: account)
    }
}
