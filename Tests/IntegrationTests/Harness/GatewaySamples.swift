import Foundation
import TrackhubCore
import TrackhubTesting

/// Minimal signed webhooks, one per gateway (just what ingestd authenticates and envelopes),
/// signed by the one signer (`GatewaySignature`), for tests that drive ingestd like a gateway
/// would. Realistic sale payloads are `GatewayWebhooks`'.
enum GatewaySamples {
    struct Signed {
        let target: String
        let headers: [(String, String)]
        let body: [UInt8]
    }

    /// A correctly signed delivery for `gateway` to account `main`, with a unique transaction.
    static func signed(_ gateway: Gateway, transaction: String, email: String = "buyer@example.com",
                       secret: String? = nil, now: Date = Date()) -> Signed {
        let secret = secret ?? IngestFixture.secrets[gateway]!
        let path = "/webhooks/\(gateway.rawValue)/main"
        switch gateway {
        case .hotmart:
            let body = Array(#"{"id":"evt-\#(transaction)","event":"PURCHASE_APPROVED","version":"2.0.0","data":{"buyer":{"email":"\#(email)"},"purchase":{"transaction":"\#(transaction)","status":"APPROVED"}}}"#.utf8)
            return Signed(target: path, headers: [("Content-Type", "application/json"), ("X-HOTMART-HOTTOK", secret)], body: body)
        case .kiwify:
            let body = Array(#"{"order_id":"\#(transaction)","order_status":"paid","webhook_event_type":"order_approved","Customer":{"email":"\#(email)"}}"#.utf8)
            return Signed(target: path + "?signature=" + GatewaySignature.kiwify(body: body, secret: secret), headers: [("Content-Type", "application/json")], body: body)
        case .eduzz:
            let body = Array(#"{"id":"evt-\#(transaction)","event":"myeduzz.invoice_paid","data":{"id":"\#(transaction)","status":"paid","buyer":{"email":"\#(email)"}}}"#.utf8)
            return Signed(target: path, headers: [("Content-Type", "application/json"), ("x-signature", GatewaySignature.eduzz(body: body, secret: secret))], body: body)
        case .monetizze:
            let email = email.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let body = Array("chave_unica=\(secret)&venda%5Bcodigo%5D=\(transaction)&tipoEvento%5Bcodigo%5D=2&comprador%5Bemail%5D=\(email)".utf8)
            return Signed(target: path, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body)
        case .mercadopago:
            let body = Array(#"{"id":12345,"type":"payment","action":"payment.updated","data":{"id":"\#(transaction)"}}"#.utf8)
            let requestID = "req-\(transaction)"
            let signature = GatewaySignature.mercadoPago(paymentID: transaction, requestID: requestID, secret: secret, at: now)
            return Signed(target: path + "?data.id=\(transaction)&type=payment",
                          headers: [("Content-Type", "application/json"), ("x-signature", signature), ("x-request-id", requestID)],
                          body: body)
        case .stripe:
            let body = Array(#"{"id":"evt_\#(transaction)","type":"checkout.session.completed","data":{"object":{"id":"cs_\#(transaction)","payment_status":"paid","customer_details":{"email":"\#(email)"}}}}"#.utf8)
            let signature = GatewaySignature.stripe(body: body, secret: secret, at: now)
            return Signed(target: path, headers: [("Content-Type", "application/json"), ("Stripe-Signature", signature)], body: body)
        case .telegram:
            let update = GatewayWebhooks.telegramStart(updateID: Int(transaction.filter(\.isNumber).prefix(9)) ?? 1, userID: 4242,
                                                       payload: nil, secret: secret, bot: "main")
            return Signed(target: update.target, headers: update.headers, body: update.body)
        }
    }
}
