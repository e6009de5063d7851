import Foundation
import Testing
@testable import TrackhubCore

/// Vectors computed independently with Python's `hmac` module, e.g.
/// `python3 -c 'import hmac,hashlib;print(hmac.new(b"token123",b"{\"order_id\":\"1\"}",hashlib.sha1).hexdigest())'`.
@Suite struct KiwifyWebhookTests {
    let body = #"{"order_id":"1"}"#
    let signature = "ddf4b84bf58d2d521012d3a567c5542874136896" // reference §2.2 vector
    let otherTokenSignature = "3b006a3ed080ba31d976d544e9182152b93184a7" // HMAC-SHA1("other-token", body)

    @Test func referenceVector() {
        #expect(verifyWebhook(.kiwify, body: body, query: "signature=\(signature)", secrets: ["token123"]) == .ok)
        #expect(verifyWebhook(.kiwify, body: body, query: "x=1&signature=\(signature)&y=2", secrets: ["token123"]) == .ok)
    }

    @Test func tamperedBodyOrSignature() {
        #expect(verifyWebhook(.kiwify, body: #"{"order_id":"2"}"#, query: "signature=\(signature)", secrets: ["token123"])
            == .rejected(reason: .badSignature))
        #expect(verifyWebhook(.kiwify, body: #"{"order_id": "1"}"#, query: "signature=\(signature)", secrets: ["token123"])
            == .rejected(reason: .badSignature)) // re-serialised JSON is a different body
        let flipped = "edf4b84bf58d2d521012d3a567c5542874136896"
        #expect(verifyWebhook(.kiwify, body: body, query: "signature=\(flipped)", secrets: ["token123"]) == .rejected(reason: .badSignature))
    }

    @Test func wrongSecretAndRotation() {
        #expect(verifyWebhook(.kiwify, body: body, query: "signature=\(signature)", secrets: ["token124"]) == .rejected(reason: .badSignature))
        #expect(verifyWebhook(.kiwify, body: body, query: "signature=\(otherTokenSignature)", secrets: ["token123", "other-token"]) == .ok)
    }

    @Test func missingOrMalformed() {
        #expect(verifyWebhook(.kiwify, body: body, secrets: ["token123"]) == .rejected(reason: .missingSignature))
        #expect(verifyWebhook(.kiwify, body: body, query: "signature=", secrets: ["token123"]) == .rejected(reason: .missingSignature))
        // The signature travels only in the query; a header is not Kiwify's scheme.
        #expect(verifyWebhook(.kiwify, body: body, headers: ["x-kiwify-signature": signature], secrets: ["token123"])
            == .rejected(reason: .missingSignature))
        #expect(verifyWebhook(.kiwify, body: body, query: "signature=xyz", secrets: ["token123"]) == .rejected(reason: .malformedHeader))
        #expect(verifyWebhook(.kiwify, body: body, query: "signature=\(signature)00", secrets: ["token123"])
            == .rejected(reason: .malformedHeader))
    }

    @Test func emptyTokenProvesNothing() {
        // Kiwify signs with an empty key when the webhook has no token; that must not verify.
        let emptyKeySignature = Hex.encode(WebhookMAC.sha1(key: "", body.bodyBytes))
        #expect(verifyWebhook(.kiwify, body: body, query: "signature=\(emptyKeySignature)", secrets: [""])
            == .rejected(reason: .noSecretConfigured))
    }
}

@Suite struct EduzzWebhookTests {
    let body = #"{"id":"evt_1","event":"myeduzz.invoice_paid","data":{"id":"123"}}"#
    let signature = "aaf5a1466b64dce5e25038407ff2c7e19feb9e409bd1facc202e12a3304f4e6b" // HMAC-SHA256("eduzz-secret-1", body)
    let secondSignature = "64beefb7cfcaf4ef2d4b22568d4ffac2224a53ecbdad44edf22999a230d91d3d" // key "eduzz-secret-2"

    @Test func validSignatureEitherHexCase() {
        #expect(verifyWebhook(.eduzz, body: body, headers: ["x-signature": signature], secrets: ["eduzz-secret-1"]) == .ok)
        #expect(verifyWebhook(.eduzz, body: body, headers: ["X-Signature": signature.uppercased()], secrets: ["eduzz-secret-1"]) == .ok)
    }

    @Test func tamperedBodyOrHeader() {
        #expect(verifyWebhook(.eduzz, body: body.replacingOccurrences(of: "123", with: "124"), headers: ["x-signature": signature],
                              secrets: ["eduzz-secret-1"]) == .rejected(reason: .badSignature))
        let tampered = String(signature.dropLast()) + "a"
        #expect(verifyWebhook(.eduzz, body: body, headers: ["x-signature": tampered], secrets: ["eduzz-secret-1"])
            == .rejected(reason: .badSignature))
    }

    @Test func wrongSecretAndRotation() {
        #expect(verifyWebhook(.eduzz, body: body, headers: ["x-signature": signature], secrets: ["eduzz-secret-2"])
            == .rejected(reason: .badSignature))
        #expect(verifyWebhook(.eduzz, body: body, headers: ["x-signature": secondSignature], secrets: ["eduzz-secret-1", "eduzz-secret-2"])
            == .ok)
    }

    @Test func missingOrMalformed() {
        #expect(verifyWebhook(.eduzz, body: body, secrets: ["eduzz-secret-1"]) == .rejected(reason: .missingSignature))
        #expect(verifyWebhook(.eduzz, body: body, headers: ["x-signature": "  "], secrets: ["eduzz-secret-1"])
            == .rejected(reason: .missingSignature))
        // Base64 of the same MAC is not what the docs' formula yields; reported as malformed.
        #expect(verifyWebhook(.eduzz, body: body, headers: ["x-signature": "qvWhRmtk3OXiUDhAf/LH4Z/rnkCb0frMIC4SozBPTms="],
                              secrets: ["eduzz-secret-1"]) == .rejected(reason: .malformedHeader))
        #expect(verifyWebhook(.eduzz, body: body, headers: ["x-signature": "sha256=" + signature], secrets: ["eduzz-secret-1"])
            == .rejected(reason: .malformedHeader))
    }
}
