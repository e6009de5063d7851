public import Foundation

/// Eduzz (`x-signature` HMAC-SHA256 of the body).
extension GatewayWebhooks {
    /// An Eduzz v3 MyEduzz invoice event; the click id lands in `data.utm.content`.
    public static func eduzz(event: String = "myeduzz.invoice_paid", invoiceID: String, buyer: GatewayBuyer, utmContent: String?,
                      value: Double = 297.9, paymentMethod: String = "creditCard", paidAt: Date = Date(), secret: String,
                      account: String = "main") -> GatewayDelivery {
        var utm: [String: Any] = ["source": "facebook", "campaign": "horta_vertical_v2", "medium": "paid_social"]
        if let utmContent { utm["content"] = utmContent }
        let status = ["myeduzz.invoice_paid": "paid", "myeduzz.invoice_refunded": "refunded",
                      "myeduzz.invoice_waiting_payment": "waiting_payment"][event] ?? "open"
        var data: [String: Any] = [
                "id": invoiceID,
                "status": status,
                "producer": ["id": "1204587", "name": "Instituto Horta Viva", "email": "contato@hortaviva.test"],
                "utm": utm,
                "buyer": ["name": buyer.fullName, "email": buyer.email, "phone": "", "phone2": "",
                          "cellphone": areaFormatted(buyer.phone)],
                "createdAt": iso(paidAt.addingTimeInterval(-180)),
                "price": ["currency": "BRL", "value": value],
                "paymentMethod": paymentMethod,
                "installments": paymentMethod == "creditCard" ? 6 : 1,
                "items": [
                    ["productId": "2113458", "name": "Horta Vertical em Apartamento", "price": ["currency": "BRL", "value": value - 50]],
                    ["productId": "2113460", "name": "Guia de Adubação Orgânica", "price": ["currency": "BRL", "value": 50]],
                ],
            ]
        // A waiting invoice has no payment time yet; a refund says when (invoice_refunded.json).
        if status != "waiting_payment" { data["paidAt"] = iso(paidAt) }
        if status == "refunded" { data["refundedAt"] = iso(Date()) }
        let body = json([
            "id": "lq" + UUID().uuidString.prefix(10).lowercased(),
            "event": event,
            "sentDate": iso(Date()),
            "data": data,
        ])
        return GatewayDelivery(target: "/webhooks/eduzz/\(account)",
                        headers: [("Content-Type", "application/json"), ("x-signature", GatewaySignature.eduzz(body: body, secret: secret))],
                        body: body)
    }
}
