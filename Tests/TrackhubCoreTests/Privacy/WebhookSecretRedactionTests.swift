import Foundation
import Testing
@testable import TrackhubCore

/// An access-request export never carries the store's webhook secret (fault scenario 15 found
/// Hotmart's `hottok` and Monetizze's `chave_unica` in exported bodies).
@Suite("WebhookSecretRedaction")
struct WebhookSecretRedactionTests {
    @Test("Hotmart's hottok in a JSON body is replaced wherever its value appears; the buyer's data stays")
    func hotmartJSON() {
        let body = #"{"hottok":"fx-32f5abc","event":"PURCHASE_APPROVED","data":{"buyer":{"email":"ana@example.com"},"note":"fx-32f5abc"}}"#
        let out = WebhookSecretRedaction.redact(body)
        #expect(!out.contains("fx-32f5abc"))
        #expect(out.contains(#""hottok":"[redacted]""#) && out.contains("ana@example.com") && out.contains("PURCHASE_APPROVED"))
    }

    @Test("Monetizze's chave_unica in a form body, percent-encoded or not, and in a JSON body")
    func monetizze() {
        let form = "chave_unica=fx%2Fa649%2B1&comprador%5Bemail%5D=ana%40example.com&venda%5Bcodigo%5D=123"
        let out = WebhookSecretRedaction.redact(form)
        #expect(!out.contains("fx%2Fa649%2B1") && out.contains("chave_unica=[redacted]") && out.contains("ana%40example.com"))
        let json = #"{"chave_unica":"k-9","venda":{"codigo":"123"}}"#
        #expect(WebhookSecretRedaction.redact(json) == #"{"chave_unica":"[redacted]","venda":{"codigo":"123"}}"#)
    }

    @Test("bodies without a secret field come back unchanged, an empty secret redacts nothing")
    func untouched() {
        for body in [#"{"event":"order_approved","Customer":{"email":"ana@example.com"}}"#, "a=1&b=2", "", "not json",
                     #"{"hottok":"","event":"x"}"#] {
            #expect(WebhookSecretRedaction.redact(body) == body)
        }
    }
}
