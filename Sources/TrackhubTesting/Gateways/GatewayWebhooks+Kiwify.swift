public import Foundation

/// Kiwify (`?signature=` HMAC-SHA1 of the body).
extension GatewayWebhooks {
    /// A Kiwify order event; `sck` lands in `TrackingParameters.sck`.
    /// `paymentMethod` "pix" gives the PIX shape (`pix_created` while waiting, no card fields).
    public static func kiwify(event: String = "order_approved", orderID: String, buyer: GatewayBuyer, sck: String?, cents: Int = 14_790,
                       paymentMethod: String = "credit_card", approvedAt: Date = Date(), secret: String,
                       account: String = "main") -> GatewayDelivery {
        let when = brasilia(approvedAt, format: "yyyy-MM-dd HH:mm")
        let card = paymentMethod == "credit_card"
        let orderStatus = ["order_approved": "paid", "order_refunded": "refunded"][event] ?? "waiting_payment"
        let body = json([
            "order_id": orderID,
            "order_ref": "Xk9TqP2",
            "order_status": orderStatus,
            "product_type": "membership",
            "payment_method": paymentMethod,
            "store_id": "Qm3vR8sLzT1aBc4",
            "installments": card ? 3 : 1,
            "card_type": card ? "mastercard" as Any : NSNull(),
            "card_last4digits": card ? "4417" as Any : NSNull(),
            "card_rejection_reason": NSNull(),
            "sale_type": "producer",
            "created_at": when,
            "updated_at": when,
            "approved_date": orderStatus == "waiting_payment" ? NSNull() as Any : when,
            "refunded_at": orderStatus == "refunded" ? when as Any : NSNull(),
            "webhook_event_type": event,
            "Product": ["product_id": "8d1e4f7a-0b2c-4c9d-a3e5-6f7a8b9c0d1e", "product_name": "Método Planilha Rica"],
            "Customer": ["full_name": buyer.fullName, "first_name": buyer.firstName, "email": buyer.email,
                         "mobile": "+55" + buyer.phone, "CPF": buyer.document.filter(\.isNumber), "ip": buyer.ip,
                         "city": buyer.city, "state": buyer.state, "zipcode": buyer.zip.filter(\.isNumber)],
            "Commissions": ["charge_amount": cents, "product_base_price": cents, "product_base_price_currency": "BRL",
                            "kiwify_fee": 1342, "currency": "BRL", "my_commission": cents - 1342],
            "TrackingParameters": ["src": NSNull(), "sck": sck.map { $0 as Any } ?? NSNull(), "utm_source": "facebook",
                                   "utm_medium": "cpc", "utm_campaign": "planilha_lal_1", "utm_content": "video_03",
                                   "utm_term": NSNull(), "s1": NSNull(), "s2": NSNull(), "s3": NSNull()],
            "Subscription": NSNull(),
            "subscription_id": NSNull(),
        ])
        return GatewayDelivery(target: "/webhooks/kiwify/\(account)?signature=" + GatewaySignature.kiwify(body: body, secret: secret),
                        headers: [("Content-Type", "application/json")], body: body)
    }
}
