import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// The funnel benchmark (`scripts/attribution`) tells each sale with the gateway's own events
/// (`GatewayWebhooks.sale(_:stage:pix:…)` through `trackhub-fake sign`); its figures for PIX,
/// refunds and redeliveries mean something only if every such delivery is read back as the step
/// it stands for. Each gateway × stage × payment is parsed here by the production parser.
@Suite struct GatewaySaleStageTests {
    static let gateways: [Gateway] = [.hotmart, .kiwify, .eduzz, .monetizze, .stripe]

    @Test("every stage of a sale is read as that status, with its transaction, payment method and click id", arguments: gateways)
    func roundTrip(_ gateway: Gateway) throws {
        var rng = SystemRandomNumberGenerator()
        let clickID = ClickID.generate(using: &rng)
        let transaction = gateway == .stripe ? "pi_3QstageT0Za1Bc4DeFg" : "T\(gateway.rawValue.count)55120"
        let expected: [GatewaySaleStage: ConversionStatus] = [.pending: .pending, .approved: .approved, .refunded: .refunded]
        for stage in GatewaySaleStage.allCases {
            for pix in [false, true] where stage != .pending || pix {  // pending: a PIX waiting to be paid
                let d = GatewayWebhooks.sale(gateway, stage: stage, pix: pix, transaction: transaction,
                                             buyer: GatewayBuyer(email: "estagio@cliente.test"), clickID: clickID, secret: "s-stage")
                let contentType = d.headers.first { $0.0.lowercased() == "content-type" }?.1
                let result = GatewayParser.parse(gateway: gateway, account: "main", body: d.body, contentType: contentType,
                                                 query: [], headers: [:])
                let c = try #require(result.conversion, "\(gateway) \(stage) pix=\(pix): \(result)")
                #expect(c.status == expected[stage], "\(gateway) \(stage) pix=\(pix)")
                #expect(c.transactionID == transaction, "\(gateway) \(stage) pix=\(pix)")
                if stage != .refunded {
                    #expect(c.paymentMethod == (pix ? .pix : .card), "\(gateway) \(stage) pix=\(pix)")
                    #expect(c.tracking.clickIDs == [clickID], "\(gateway) \(stage) pix=\(pix)")
                }
            }
        }
    }
}
