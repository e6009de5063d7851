public import Foundation

/// Hotmart (v2, `X-HOTMART-HOTTOK` header, the secret itself).
extension GatewayWebhooks {
    /// A Hotmart v2 purchase event; `sck` lands in `data.purchase.origin.sck`.
    public static func hotmart(event: String = "PURCHASE_APPROVED", transaction: String, buyer: GatewayBuyer, sck: String?, src: String? = nil,
                        value: Double = 197.0, currency: String = "BRL", approvedAt: Date = Date(), sentAt: Date = Date(),
                        paymentType: String = "CREDIT_CARD", secret: String, account: String = "main") -> GatewayDelivery {
        var origin: [String: Any] = ["xcod": "cmpA"]
        if let sck { origin["sck"] = sck }
        if let src { origin["src"] = src }
        // A PIX waiting to be paid comes as PURCHASE_BILLET_PRINTED with status WAITING_PAYMENT
        // (Tests/Fixtures/hotmart/purchase_pix_waiting.json).
        let printed = paymentType == "PIX" ? "WAITING_PAYMENT" : "BILLET_PRINTED"
        let status = ["PURCHASE_COMPLETE": "COMPLETED", "PURCHASE_APPROVED": "APPROVED", "PURCHASE_BILLET_PRINTED": printed,
                      "PURCHASE_REFUNDED": "REFUNDED"][event] ?? "STARTED"
        let body = json([
            "id": UUID().uuidString.lowercased(),
            "creation_date": ms(sentAt),
            "event": event,
            "version": "2.0.0",
            "data": [
                "product": ["id": 3_865_432, "ucode": "7c1d9a52-55e4-4b5e-a1f0-9d3e8c2b1a44", "name": "Curso Confeitaria Lucrativa",
                            "has_co_production": false],
                "affiliates": [["affiliate_code": "", "name": ""]],
                "buyer": [
                    "email": buyer.email, "name": buyer.fullName, "first_name": buyer.firstName, "last_name": buyer.lastName,
                    "checkout_phone_code": "55", "checkout_phone": buyer.phone, "document": buyer.document, "document_type": "CPF",
                    "address": ["city": buyer.city, "country": "Brasil", "country_iso": "BR", "state": buyer.state,
                                "neighborhood": "Vila Mariana", "zipcode": buyer.zip, "address": "Rua Domingos de Morais",
                                "number": "1200", "complement": "apto 52"],
                ] as [String: Any],
                "producer": ["name": "Doces da Ana Cursos Ltda"],
                "commissions": [["value": 19.27, "source": "MARKETPLACE", "currency_value": currency],
                                ["value": value - 19.27, "source": "PRODUCER", "currency_value": currency]],
                "purchase": [
                    "approved_date": ms(approvedAt),
                    "full_price": ["value": value, "currency_value": currency],
                    "price": ["value": value, "currency_value": currency],
                    "original_offer_price": ["value": 297.0, "currency_value": currency],
                    "checkout_country": ["name": "Brasil", "iso": "BR"],
                    "order_bump": ["is_order_bump": false],
                    "origin": origin,
                    "buyer_ip": buyer.ip,
                    "order_date": ms(approvedAt) - 60_000,
                    "status": status,
                    "transaction": transaction,
                    "payment": ["installments_number": 1, "type": paymentType],
                    "offer": ["code": "k2x9p0qa", "coupon_code": ""],
                    "invoice_by": "HOTMART",
                    "business_model": "I",
                    "is_funnel": false,
                ] as [String: Any],
            ] as [String: Any],
            "hottok": secret,
        ])
        return GatewayDelivery(target: "/webhooks/hotmart/\(account)",
                        headers: [("Content-Type", "application/json"), ("X-HOTMART-HOTTOK", secret), ("User-Agent", "Hotmart-Webhook/2.0")],
                        body: body)
    }
}
