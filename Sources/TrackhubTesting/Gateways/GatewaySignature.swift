import Crypto
public import Foundation

/// How each gateway authenticates a delivery (shared/reference §2, docs/API.md "How each gateway
/// authenticates"): the one signer for tests, the benchmark and the fault suite.
public enum GatewaySignature {
    /// Kiwify: `?signature=` HMAC-SHA1 of the body, hex.
    public static func kiwify(body: [UInt8], secret: String) -> String {
        hex(HMAC<Insecure.SHA1>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8))))
    }

    /// Eduzz: `x-signature` HMAC-SHA256 of the body, hex.
    public static func eduzz(body: [UInt8], secret: String) -> String {
        hmacSHA256(secret, body)
    }

    /// Stripe: `Stripe-Signature: t=…,v1=HMAC-SHA256("t.body")`.
    public static func stripe(body: [UInt8], secret: String, at time: Date = Date()) -> String {
        let t = String(Int64(time.timeIntervalSince1970))
        return "t=\(t),v1=\(hmacSHA256(secret, Array("\(t).".utf8) + body))"
    }

    /// Mercado Pago: `x-signature: ts=…,v1=HMAC-SHA256("id:<data.id>;request-id:<x-request-id>;ts:<ts>;")`,
    /// `ts` in milliseconds.
    public static func mercadoPago(paymentID: String, requestID: String, secret: String, at time: Date = Date()) -> String {
        let ts = String(Int64(time.timeIntervalSince1970 * 1000))
        let manifest = "id:\(paymentID.lowercased());request-id:\(requestID);ts:\(ts);"
        return "ts=\(ts),v1=\(hmacSHA256(secret, Array(manifest.utf8)))"
    }

    // Hotmart (`X-HOTMART-HOTTOK` header) and Monetizze (`chave_unica` form field) send the
    // secret itself: nothing to compute.

    public static func hmacSHA256(_ key: String, _ message: [UInt8]) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(key.utf8))))
    }

    static func hex<D: Sequence>(_ d: D) -> String where D.Element == UInt8 {
        d.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
