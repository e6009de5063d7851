import Crypto
import Foundation
import TrackhubCore

/// Signed sample webhooks, one per gateway, signed the way each gateway signs (see
/// shared/reference §2), for tests that drive ingestd like a gateway would.
enum GatewaySamples {
    struct Signed {
        let target: String
        let headers: [(String, String)]
        let body: [UInt8]
    }

    static func hex<D: Sequence>(_ d: D) -> String where D.Element == UInt8 {
        d.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func hmacSHA256(_ key: String, _ message: [UInt8]) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(key.utf8))))
    }

    static func hmacSHA1(_ key: String, _ message: [UInt8]) -> String {
        hex(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: Array(key.utf8))))
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
            return Signed(target: path + "?signature=" + hmacSHA1(secret, body), headers: [("Content-Type", "application/json")], body: body)
        case .eduzz:
            let body = Array(#"{"id":"evt-\#(transaction)","event":"myeduzz.invoice_paid","data":{"id":"\#(transaction)","status":"paid","buyer":{"email":"\#(email)"}}}"#.utf8)
            return Signed(target: path, headers: [("Content-Type", "application/json"), ("x-signature", hmacSHA256(secret, body))], body: body)
        case .monetizze:
            let email = email.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let body = Array("chave_unica=\(secret)&venda%5Bcodigo%5D=\(transaction)&tipoEvento%5Bcodigo%5D=2&comprador%5Bemail%5D=\(email)".utf8)
            return Signed(target: path, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body)
        case .mercadopago:
            let body = Array(#"{"id":12345,"type":"payment","action":"payment.updated","data":{"id":"\#(transaction)"}}"#.utf8)
            let ts = String(Int64(now.timeIntervalSince1970 * 1000))
            let requestID = "req-\(transaction)"
            let manifest = "id:\(transaction.lowercased());request-id:\(requestID);ts:\(ts);"
            let sig = hmacSHA256(secret, Array(manifest.utf8))
            return Signed(target: path + "?data.id=\(transaction)&type=payment",
                          headers: [("Content-Type", "application/json"), ("x-signature", "ts=\(ts),v1=\(sig)"), ("x-request-id", requestID)],
                          body: body)
        case .stripe:
            let body = Array(#"{"id":"evt_\#(transaction)","type":"checkout.session.completed","data":{"object":{"id":"cs_\#(transaction)","payment_status":"paid","customer_details":{"email":"\#(email)"}}}}"#.utf8)
            let t = String(Int64(now.timeIntervalSince1970))
            let sig = hmacSHA256(secret, Array("\(t).".utf8) + body)
            return Signed(target: path, headers: [("Content-Type", "application/json"), ("Stripe-Signature", "t=\(t),v1=\(sig)")], body: body)
        }
    }
}
