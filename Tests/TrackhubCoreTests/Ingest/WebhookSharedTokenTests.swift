import Testing
@testable import TrackhubCore

@Suite struct HotmartWebhookTests {
    let body = #"{"id":"e1","event":"PURCHASE_APPROVED","version":"2.0.0","data":{"hottok":"nested"},"hottok":"tok-body"}"#

    @Test func headerMatches() {
        #expect(verifyWebhook(.hotmart, body: body, headers: ["X-HOTMART-HOTTOK": "tok-live"], secrets: ["tok-live"]) == .ok)
        #expect(verifyWebhook(.hotmart, body: body, headers: ["x-hotmart-hottok": "tok-live"], secrets: ["tok-live"]) == .ok)
    }

    @Test func wrongHeaderIsNotRescuedByTheBody() {
        #expect(verifyWebhook(.hotmart, body: body, headers: ["X-HOTMART-HOTTOK": "tok-wrong"], secrets: ["tok-body"])
            == .rejected(reason: .badSignature))
    }

    @Test func bodyFallbackWhenHeaderIsAbsent() {
        #expect(verifyWebhook(.hotmart, body: body, secrets: ["tok-body"]) == .ok)
        #expect(verifyWebhook(.hotmart, body: body, headers: ["X-HOTMART-HOTTOK": ""], secrets: ["tok-body"]) == .ok)
        #expect(verifyWebhook(.hotmart, body: body, secrets: ["nested"]) == .rejected(reason: .badSignature))
        #expect(verifyWebhook(.hotmart, body: body, secrets: ["tok-other"]) == .rejected(reason: .badSignature))
    }

    @Test func missingEverywhere() {
        #expect(verifyWebhook(.hotmart, body: #"{"id":"e1"}"#, secrets: ["tok"]) == .rejected(reason: .missingSignature))
        #expect(verifyWebhook(.hotmart, body: #"{"hottok":""}"#, secrets: ["tok"]) == .rejected(reason: .missingSignature))
        #expect(verifyWebhook(.hotmart, body: "hottok=tok", secrets: ["tok"]) == .rejected(reason: .bodyShape))
    }

    @Test func rotation() {
        #expect(verifyWebhook(.hotmart, body: body, headers: ["X-HOTMART-HOTTOK": "new"], secrets: ["old", "new"]) == .ok)
        #expect(verifyWebhook(.hotmart, body: body, headers: ["X-HOTMART-HOTTOK": "old"], secrets: ["old", "new"]) == .ok)
    }

    @Test func prefixesAndCaseDoNotMatch() {
        for presented in ["tok", "tok-live-", "TOK-LIVE", " tok-live"] {
            #expect(verifyWebhook(.hotmart, body: body, headers: ["X-HOTMART-HOTTOK": presented], secrets: ["tok-live"])
                == .rejected(reason: .badSignature))
        }
    }

    @Test func emptySecretsAreNeverAccepted() {
        #expect(verifyWebhook(.hotmart, body: #"{"hottok":""}"#, headers: ["X-HOTMART-HOTTOK": ""], secrets: [""])
            == .rejected(reason: .noSecretConfigured))
        #expect(verifyWebhook(.hotmart, body: body, secrets: []) == .rejected(reason: .noSecretConfigured))
    }
}

@Suite struct MonetizzeWebhookTests {
    let form = "chave_unica=k3y%2Bz&tipoEvento%5Bcodigo%5D=2&venda%5Bcodigo%5D=123&comprador%5Bnome%5D=Jos%C3%A9+Silva"

    @Test func formFieldMatches() {
        #expect(verifyWebhook(.monetizze, body: form, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                              secrets: ["k3y+z"]) == .ok)
        #expect(verifyWebhook(.monetizze, body: form, secrets: ["k3y+z"]) == .ok)
    }

    @Test func wrongOrMissingKey() {
        #expect(verifyWebhook(.monetizze, body: form, secrets: ["k3y z"]) == .rejected(reason: .badSignature))
        #expect(verifyWebhook(.monetizze, body: "venda%5Bcodigo%5D=123", secrets: ["k"]) == .rejected(reason: .missingSignature))
        #expect(verifyWebhook(.monetizze, body: "chave_unica=&x=1", secrets: ["k"]) == .rejected(reason: .missingSignature))
    }

    @Test func rotation() {
        #expect(verifyWebhook(.monetizze, body: form, secrets: ["old", "k3y+z"]) == .ok)
    }

    @Test func jsonWhenTheContentTypeSaysSo() {
        let json = #"{"chave_unica":"k3y","venda":{"codigo":"123"}}"#
        #expect(verifyWebhook(.monetizze, body: json, headers: ["Content-Type": "application/json; charset=utf-8"], secrets: ["k3y"]) == .ok)
        #expect(verifyWebhook(.monetizze, body: json, headers: ["Content-Type": "application/json"], secrets: ["x"])
            == .rejected(reason: .badSignature))
        #expect(verifyWebhook(.monetizze, body: "chave_unica=k3y", headers: ["Content-Type": "application/json"], secrets: ["k3y"])
            == .rejected(reason: .bodyShape))
        // Without a JSON content type the body is read as a form, where a JSON document has no chave_unica.
        #expect(verifyWebhook(.monetizze, body: json, secrets: ["k3y"]) == .rejected(reason: .missingSignature))
    }
}
