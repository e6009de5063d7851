public import Foundation

/// Mercado Pago: the signed notification (it names the payment and nothing else) and the
/// payment the payments API answers for it, shaped like `Tests/Fixtures/mercadopago/`.
extension GatewayWebhooks {
    /// `payment.updated` for `paymentID`, signed like Mercado Pago signs (`GatewaySignature.mercadoPago`).
    public static func mercadoPagoNotification(paymentID: String, secret: String, account: String = "main") -> GatewayDelivery {
        let body = json(["id": Int.random(in: 100_000_000...999_999_999), "live_mode": true, "type": "payment",
                         "date_created": ISO8601DateFormatter().string(from: Date()), "user_id": 1_987_654_321,
                         "api_version": "v1", "action": "payment.updated", "data": ["id": paymentID]])
        let requestID = UUID().uuidString.lowercased()
        let signature = GatewaySignature.mercadoPago(paymentID: paymentID, requestID: requestID, secret: secret)
        return GatewayDelivery(target: "/webhooks/mercadopago/\(account)?data.id=\(paymentID)&type=payment",
                               headers: [("Content-Type", "application/json"), ("x-signature", signature), ("x-request-id", requestID)],
                               body: body)
    }

    /// `GET /v1/payments/{id}`: an approved PIX payment carrying `clickID` in `metadata.click_id`.
    public static func mercadoPagoPayment(id: String, buyer: GatewayBuyer, clickID: String?, amount: Double = 1200.5,
                                          status: String = "approved", approvedAt: Date = Date(),
                                          metadata extra: [String: Any] = [:]) -> [UInt8] {
        let iso = ISO8601DateFormatter()
        var metadata: [String: Any] = ["turma": 4]
        if let clickID { metadata["click_id"] = clickID }
        metadata.merge(extra) { _, new in new }
        let phone = (area: String(buyer.phone.prefix(2)), number: String(buyer.phone.dropFirst(2)))
        return json([
            "id": Int64(id) ?? 0,
            "date_created": iso.string(from: approvedAt.addingTimeInterval(-100)),
            "date_approved": status == "approved" ? iso.string(from: approvedAt) : NSNull(),
            "date_last_updated": iso.string(from: approvedAt),
            "payment_method_id": "pix", "payment_type_id": "bank_transfer",
            "status": status, "status_detail": status == "approved" ? "accredited" : "pending_waiting_transfer",
            "currency_id": "BRL", "description": "Mentoria Cerâmica Autoral - Turma 4", "live_mode": true,
            "payer": ["email": buyer.email, "first_name": buyer.firstName, "last_name": buyer.lastName,
                      "identification": ["type": "CPF", "number": buyer.document.filter(\.isNumber)],
                      "phone": ["area_code": phone.area, "number": phone.number]],
            "metadata": metadata,
            "additional_info": ["ip_address": buyer.ip,
                                "items": [["id": "MENT-CER-T4", "title": "Mentoria", "quantity": "1", "unit_price": "\(amount)"]],
                                "payer": ["address": ["zip_code": buyer.zip]]],
            "external_reference": "pedido-\(id.suffix(4))",
            "transaction_amount": amount, "transaction_amount_refunded": 0,
        ])
    }
}
