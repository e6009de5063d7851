import Foundation
import Testing
@testable import TrackhubCore

/// Signatures computed independently with Python's `hmac` over "1700000000.{body}".
@Suite struct StripeWebhookTests {
    let body = #"{"id":"evt_1","object":"event"}"#
    let t = 1_700_000_000
    let sig = "0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd" // secret whsec_test_secret
    let rotatedSig = "443d952004499c253336135326bfaef55fed4b9099dfbcff6d4aec5017c5185d" // secret whsec_rotated
    let secret = "whsec_test_secret"

    private func verify(_ header: String?, body: String? = nil, secrets: [String]? = nil, now: Double = 1_700_000_000,
                        tolerance: TimeInterval = 300) -> WebhookAuthResult {
        verifyWebhook(.stripe, body: body ?? self.body, headers: header.map { ["Stripe-Signature": $0] } ?? [:],
                      secrets: secrets ?? [secret], now: Date(timeIntervalSince1970: now), tolerance: tolerance)
    }

    @Test func valid() {
        #expect(verify("t=\(t),v1=\(sig)") == .ok)
        #expect(verify("t=\(t), v1=\(sig)") == .ok)
    }

    @Test func tamperedBodyHeaderOrTimestamp() {
        #expect(verify("t=\(t),v1=\(sig)", body: #"{"id":"evt_2","object":"event"}"#) == .rejected(reason: .badSignature))
        #expect(verify("t=\(t + 1),v1=\(sig)") == .rejected(reason: .badSignature))
        #expect(verify("t=\(t),v1=" + String(sig.reversed())) == .rejected(reason: .badSignature))
    }

    @Test func wrongSecretAndRotation() {
        #expect(verify("t=\(t),v1=\(sig)", secrets: ["whsec_other"]) == .rejected(reason: .badSignature))
        #expect(verify("t=\(t),v1=\(sig)", secrets: ["whsec_rotated", secret]) == .ok)
        #expect(verify("t=\(t),v1=\(rotatedSig)", secrets: [secret, "whsec_rotated"]) == .ok)
    }

    @Test func anyOfMultipleV1Passes() {
        let bogus = String(repeating: "0", count: 64)
        #expect(verify("t=\(t),v1=\(bogus),v1=\(sig)") == .ok)
        #expect(verify("t=\(t),v1=\(rotatedSig),v1=\(bogus)", secrets: ["whsec_rotated"]) == .ok)
        #expect(verify("t=\(t),v1=\(bogus),v1=nothex,v0=\(sig)") == .rejected(reason: .badSignature))
    }

    @Test func v0IsNeverAccepted() {
        #expect(verify("t=\(t),v0=\(sig)") == .rejected(reason: .missingSignature))
        #expect(verify("t=\(t),v1=\(sig),v0=\(String(repeating: "f", count: 64))") == .ok)
    }

    @Test func timestampToleranceInBothDirections() {
        #expect(verify("t=\(t),v1=\(sig)", now: Double(t) + 300) == .ok)
        #expect(verify("t=\(t),v1=\(sig)", now: Double(t) + 301) == .rejected(reason: .staleTimestamp))
        #expect(verify("t=\(t),v1=\(sig)", now: Double(t) - 300) == .ok)
        #expect(verify("t=\(t),v1=\(sig)", now: Double(t) - 301) == .rejected(reason: .staleTimestamp)) // from the future
        #expect(verify("t=\(t),v1=\(sig)", now: Double(t) + 3600, tolerance: 7200) == .ok)
    }

    @Test func forgedStaleDeliveriesReportBadSignatureNotStaleness() {
        #expect(verify("t=\(t),v1=\(String(repeating: "a", count: 64))", now: Double(t) + 10_000) == .rejected(reason: .badSignature))
    }

    @Test func missingAndMalformedHeaders() {
        #expect(verify(nil) == .rejected(reason: .missingSignature))
        #expect(verify("") == .rejected(reason: .missingSignature))
        #expect(verify("t=\(t)") == .rejected(reason: .missingSignature))
        #expect(verify("v1=\(sig)") == .rejected(reason: .malformedHeader))
        #expect(verify("t=abc,v1=\(sig)") == .rejected(reason: .malformedHeader))
        #expect(verify("t=-1,v1=\(sig)") == .rejected(reason: .malformedHeader))
        #expect(verify("t=\(t),t=\(t),v1=\(sig)") == .rejected(reason: .malformedHeader))
        #expect(verify("t=\(t),v1") == .rejected(reason: .malformedHeader))
        #expect(verify("t=1234567890123,v1=\(sig)") == .rejected(reason: .malformedHeader))
    }

    @Test func dataBodyOverload() {
        let result = WebhookAuthenticator.verify(
            gateway: .stripe, rawBody: Data(body.utf8), headers: edgeHeaders(["stripe-signature": "t=\(t),v1=\(sig)"]),
            query: [], secrets: [secret], now: Date(timeIntervalSince1970: Double(t)))
        #expect(result == .ok)
    }
}
