import Foundation
import Testing
@testable import TrackhubCore

@Suite struct WebhookBodyShapeTests {
    static let jsonGateways: [Gateway] = [.hotmart, .kiwify, .eduzz, .mercadopago, .stripe]

    @Test(arguments: jsonGateways)
    func jsonGatewaysNeedAJSONObject(_ gateway: Gateway) {
        #expect(WebhookAuthenticator.checkBodyShape(gateway: gateway, rawBody: #"{"id":"1"}"#.bodyBytes, contentType: "application/json"))
        // The content type is not trusted either way: the body decides.
        #expect(WebhookAuthenticator.checkBodyShape(gateway: gateway, rawBody: #"{"id":"1"}"#.bodyBytes, contentType: "text/plain"))
        #expect(WebhookAuthenticator.checkBodyShape(gateway: gateway, rawBody: #"{"id":"1"}"#.bodyBytes, contentType: nil))
        #expect(!WebhookAuthenticator.checkBodyShape(gateway: gateway, rawBody: "id=1".bodyBytes, contentType: "application/x-www-form-urlencoded"))
        #expect(!WebhookAuthenticator.checkBodyShape(gateway: gateway, rawBody: "[1]".bodyBytes, contentType: "application/json"))
        #expect(!WebhookAuthenticator.checkBodyShape(gateway: gateway, rawBody: [], contentType: "application/json"))
        #expect(!WebhookAuthenticator.checkBodyShape(gateway: gateway, rawBody: #"{"id":1"#.bodyBytes, contentType: "application/json"))
    }

    @Test func monetizzeTakesForms() {
        let form = "chave_unica=abc&venda%5Bcodigo%5D=1&comprador%5Bnome%5D=Jos%C3%A9+Silva"
        #expect(WebhookAuthenticator.checkBodyShape(gateway: .monetizze, rawBody: form.bodyBytes, contentType: "application/x-www-form-urlencoded"))
        #expect(WebhookAuthenticator.checkBodyShape(gateway: .monetizze, rawBody: form.bodyBytes, contentType: nil))
        #expect(WebhookAuthenticator.checkBodyShape(gateway: .monetizze, rawBody: (form + "\r\n").bodyBytes, contentType: nil))
        #expect(WebhookAuthenticator.checkBodyShape(gateway: .monetizze, rawBody: "nome=José".bodyBytes, contentType: nil))
        #expect(!WebhookAuthenticator.checkBodyShape(gateway: .monetizze, rawBody: [], contentType: nil))
        #expect(!WebhookAuthenticator.checkBodyShape(gateway: .monetizze, rawBody: "just text".bodyBytes, contentType: nil))
        #expect(!WebhookAuthenticator.checkBodyShape(gateway: .monetizze, rawBody: "a=1\u{0}".bodyBytes, contentType: nil))
        #expect(!WebhookAuthenticator.checkBodyShape(gateway: .monetizze, rawBody: [0x61, 0x3D, 0x01], contentType: nil))
    }

    @Test func monetizzeTakesJSONOnlyWhenTheContentTypeSaysSo() {
        let json = #"{"chave_unica":"abc","a":"b=c"}"#
        #expect(WebhookAuthenticator.checkBodyShape(gateway: .monetizze, rawBody: json.bodyBytes, contentType: "application/json"))
        #expect(WebhookAuthenticator.checkBodyShape(gateway: .monetizze, rawBody: json.bodyBytes, contentType: "Application/JSON; charset=UTF-8"))
        #expect(WebhookAuthenticator.checkBodyShape(gateway: .monetizze, rawBody: json.bodyBytes, contentType: "application/vnd.monetizze+json"))
        #expect(!WebhookAuthenticator.checkBodyShape(gateway: .monetizze, rawBody: json.bodyBytes, contentType: nil))
        #expect(!WebhookAuthenticator.checkBodyShape(gateway: .monetizze, rawBody: json.bodyBytes, contentType: "application/x-www-form-urlencoded"))
        #expect(!WebhookAuthenticator.checkBodyShape(gateway: .monetizze, rawBody: "a=1".bodyBytes, contentType: "application/json"))
    }

    @Test func dataOverload() {
        #expect(WebhookAuthenticator.checkBodyShape(gateway: .stripe, rawBody: Data("{}".utf8), contentType: nil))
    }

    @Test func gatewayNamesAreStable() {
        #expect(Gateway.allCases.map(\.rawValue) == ["hotmart", "kiwify", "eduzz", "monetizze", "mercadopago", "stripe", "telegram"])
    }
}
