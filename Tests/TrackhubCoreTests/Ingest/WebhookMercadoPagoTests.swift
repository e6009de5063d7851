import Foundation
import Testing
@testable import TrackhubCore

/// Manifests and HMACs computed independently with Python's `hmac` module (secret "mp-secret").
@Suite struct MercadoPagoWebhookTests {
    let body = #"{"action":"payment.updated","data":{"id":"999"},"type":"payment"}"#
    let ts = "1700000000123"

    private func verify(query: String, signature: String, requestID: String? = "req-42", secrets: [String] = ["mp-secret"]) -> WebhookAuthResult {
        var headers = ["x-signature": "ts=\(ts),v1=\(signature)"]
        if let requestID { headers["x-request-id"] = requestID }
        return verifyWebhook(.mercadopago, body: body, headers: headers, query: query, secrets: secrets)
    }

    @Test func numericDataID() {
        // id:123456;request-id:req-42;ts:1700000000123;
        let sig = "af77646087bd35f3acfbc59015d32c9211aec8df90644fda46c7c84d499b275f"
        #expect(verify(query: "data.id=123456&type=payment", signature: sig) == .ok)
        #expect(verify(query: "data.id=123457&type=payment", signature: sig) == .rejected(reason: .badSignature))
        #expect(verify(query: "data.id=123456", signature: sig, requestID: "req-43") == .rejected(reason: .badSignature))
        #expect(verify(query: "data.id=123456", signature: sig, secrets: ["other"]) == .rejected(reason: .badSignature))
        #expect(verify(query: "data.id=123456", signature: sig, secrets: ["other", "mp-secret"]) == .ok)
        #expect(verify(query: "data.id=123456", signature: sig.uppercased()) == .ok)
    }

    @Test func theBodyIsNotSigned() {
        let sig = "af77646087bd35f3acfbc59015d32c9211aec8df90644fda46c7c84d499b275f"
        let result = WebhookAuthenticator.verify(
            gateway: .mercadopago, rawBody: #"{"data":{"id":"other"}}"#.bodyBytes,
            headers: edgeHeaders(["x-signature": "ts=\(ts), v1=\(sig)", "x-request-id": "req-42"]),
            query: QueryString.parse("data.id=123456"), secrets: ["mp-secret"], now: .now)
        #expect(result == .ok)
    }

    @Test func missingPartsAreOmittedFromTheManifest() {
        // id:123456;ts:1700000000123;
        #expect(verify(query: "data.id=123456", signature: "e85de54e583ad8dfae20f2d3e7646baa5734f9ba094fc5d688e3fbc12d28c25e",
                       requestID: nil) == .ok)
        // ts:1700000000123;
        #expect(verify(query: "", signature: "90edc0c13669231c011a425f8463390650edc65520ce435a9250498092145189", requestID: nil) == .ok)
    }

    @Test func alphanumericDataIDAsIsOrLowercased() {
        let lowered = "cb36eca33da020715512e74fcc14121e2ef8026e28a8f7999bb4dc4e6c7cc8c3" // id:abc123;…
        let asIs = "d5b8205b2d806f9a6ee2080d9e5c0271a83102cfec9cbd04bdf12080216060a9" // id:ABC123;…
        #expect(verify(query: "data.id=ABC123", signature: lowered) == .ok)
        #expect(verify(query: "data.id=ABC123", signature: asIs) == .ok)
        #expect(verify(query: "data.id=abc123", signature: lowered) == .ok)
        #expect(verify(query: "data.id=abc123", signature: asIs) == .rejected(reason: .badSignature))
    }

    @Test func missingOrMalformedHeader() {
        #expect(verifyWebhook(.mercadopago, body: body, query: "data.id=1", secrets: ["mp-secret"]) == .rejected(reason: .missingSignature))
        for header in ["v1=abcd", "ts=1700000000123", "ts=1700000000123,v1=nothex", "ts=1,v1=abcd", "garbage", "ts=1,v1", "=x,ts=1"] {
            #expect(verifyWebhook(.mercadopago, body: body, headers: ["x-signature": header], query: "data.id=1", secrets: ["mp-secret"])
                == .rejected(reason: .malformedHeader), "\(header)")
        }
    }
}
