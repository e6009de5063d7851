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
        var metadata: [String: Any] = ["campaign": "mentoria_set"]
        if let clickID { metadata["click_id"] = clickID }
        return stripeSigned([
            "id": "evt_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24),
            "object": "event",
            "api_version": "2024-06-20",
            "created": Int64(created.timeIntervalSince1970),
            "data": ["object": [
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
                "payment_method_types": ["card"],
                "payment_status": "paid",
                "status": "complete",
            ] as [String: Any]],
            "livemode": livemode,
            "pending_webhooks": 1,
            "request": ["id": NSNull(), "idempotency_key": NSNull()],
            "type": "checkout.session.completed",
        ], secret: secret, signedAt: signedAt, account: account)
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
