import Foundation
import Testing
@testable import TrackhubCore

@Suite struct SalesConversionTests {
    static func sample(
        gateway: Gateway = .hotmart, account: String = "a", transactionID: String = "HP123",
        status: ConversionStatus = .approved, event: String = "PURCHASE_APPROVED"
    ) -> Conversion {
        Conversion(gateway: gateway, account: account, transactionID: transactionID, status: status, rawEventType: event,
                   value: dec("97.90"), currency: "BRL", occurredAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func purchaseEventIDIsGatewayDotTransaction() {
        #expect(Self.sample().purchaseEventID == "hotmart.HP123")
        #expect(Self.sample(gateway: .stripe, transactionID: "pi_3Q1r").purchaseEventID == "stripe.pi_3Q1r")
    }

    @Test func purchaseEventIDIgnoresEventStatusAndAccount() {
        let base = Self.sample().purchaseEventID
        #expect(Self.sample(event: "PURCHASE_COMPLETE").purchaseEventID == base)
        #expect(Self.sample(status: .refunded, event: "PURCHASE_REFUNDED").purchaseEventID == base)
        // Two accounts of one gateway reporting the same sale: one event id (deduplicated).
        #expect(Self.sample(account: "coproducer").purchaseEventID == base)
        // Same transaction id at another gateway: a different sale.
        #expect(Self.sample(gateway: .kiwify).purchaseEventID != base)
    }

    @Test func purchaseEventIDIsStableAcrossRepeatedDeliveries() throws {
        let first = try requireConversion(try parseFixture(.hotmart, "purchase_approved.json", account: "one"))
        let again = try requireConversion(try parseFixture(.hotmart, "purchase_approved.json", account: "two"))
        let complete = try requireConversion(try parseFixture(.hotmart, "purchase_complete.json", account: "one"))
        #expect(Set([first.purchaseEventID, again.purchaseEventID, complete.purchaseEventID]) == ["hotmart.HP3601724950112"])
    }

    @Test func statusEventIDsDifferPerStatus() {
        #expect(Self.sample(status: .pending).statusEventID == "hotmart.HP123.pending")
        #expect(Self.sample(status: .chargeback).statusEventID == "hotmart.HP123.chargeback")
    }

    @Test func eventIDsStayWithin100Characters() {
        let maxParsed = String(repeating: "x", count: GatewayParser.maxTransactionIDLength)
        for gateway in Gateway.allCases {
            let c = Self.sample(gateway: gateway, transactionID: maxParsed, status: .chargeback)
            #expect(c.purchaseEventID.utf8.count <= Conversion.maxEventIDLength)
            #expect(c.statusEventID.utf8.count <= Conversion.maxEventIDLength)
            #expect(c.purchaseEventID == "\(gateway.rawValue).\(maxParsed)")
        }
        let long = Self.sample(gateway: .mercadopago, transactionID: String(repeating: "y", count: 300))
        #expect(long.purchaseEventID.utf8.count <= 100)
        #expect(long.purchaseEventID.hasPrefix("mercadopago.~"))
        #expect(long.purchaseEventID == Self.sample(gateway: .mercadopago, transactionID: String(repeating: "y", count: 300)).purchaseEventID)
        #expect(long.purchaseEventID != Self.sample(gateway: .mercadopago, transactionID: String(repeating: "y", count: 301)).purchaseEventID)
        #expect(long.statusEventID.utf8.count <= 100)
    }

    @Test func clickIDCandidatesFollowThePriorityOrder() {
        let t = TrackingParameters(
            sck: "sck", src: "src", xcod: "xcod", utmSource: "facebook", utmMedium: "cpc", utmCampaign: "camp",
            utmContent: "content", utmTerm: "term", s1: "s1", s2: "s2", s3: "s3",
            metadata: ["sck": "m-sck", "click_id": "m-click", "th_cid": "m-th", "fbp": "fb.1.2.3"],
            clientReferenceID: "ref")
        #expect(t.clickIDCandidates == [
            "sck", "src", "xcod", "s1", "s2", "s3", "content", "term", "m-click", "m-th", "m-sck", "ref",
        ])
    }

    @Test func clickIDCandidatesAreTrimmedAndDeduplicated() {
        let t = TrackingParameters(sck: " 01j9zq7x8kmd3v5r6t7w8y9abc ", src: "", s1: "01j9zq7x8kmd3v5r6t7w8y9abc",
                                   metadata: ["click_id": "  "], clientReferenceID: "order-1")
        #expect(t.clickIDCandidates == ["01j9zq7x8kmd3v5r6t7w8y9abc", "order-1"])
    }

    @Test func clickIDsAreValidIDsFoundInCandidates() {
        let a = "01j9zq7x8kmd3v5r6t7w8y9abc"
        let b = "01j9zr2b4c6d8e0f1g2h3j4k5m"
        #expect(ClickID.isValid(a) && ClickID.isValid(b))
        let t = TrackingParameters(
            sck: "HOTMART-SCK", src: "fb_\(b)", utmContent: "ad12|\(a)|v3", utmTerm: a.uppercased(),
            metadata: ["click_id": a])
        #expect(t.clickIDs == [b, a])
        #expect(TrackingParameters(sck: "not-a-click").clickIDs.isEmpty)
    }

    @Test func metaValueAndEpochSeconds() {
        var c = Self.sample()
        #expect(c.metaValue == dec("97.9"))
        c.value = dec("10.315")
        #expect(c.metaValue == dec("10.32"))
        c.currency = "JPY"
        c.value = dec("500.4")
        #expect(c.metaValue == dec("500"))
        c.currency = "KWD"
        c.value = dec("1.2345")
        #expect(c.metaValue == dec("1.235"))
        c.occurredAt = Date(timeIntervalSince1970: 1_726_851_600.999)
        #expect(c.occurredAtEpochSeconds == 1_726_851_600)
    }

    @Test func codableRoundTripKeepsTheExactValue() throws {
        let c = try requireConversion(try parseFixture(.eduzz, "invoice_paid.json"))
        let data = try JSONEncoder().encode(c)
        let back = try JSONDecoder().decode(Conversion.self, from: data)
        #expect(back == c)
        #expect(back.value == dec("297.9"))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""value":297.9"#))
        #expect(text.contains(#""status":"approved""#))
        #expect(text.contains(#""gateway":"eduzz""#))
    }

    @Test func descriptionIsRedacted() throws {
        let c = try requireConversion(try parseFixture(.hotmart, "purchase_approved.json"))
        let text = "\(c) \(String(reflecting: c))"
        #expect(text.contains("HP3601724950112"))
        for secret in ["mariana.souza.lima@cliente.test", "11987654321", "Mariana", "12345678909", "203.0.113.45", "04101-300"] {
            #expect(!text.contains(secret), "description leaks \(secret)")
        }
    }

    @Test func parseResultAccessors() {
        #expect(ParseResult.malformed(reason: "x").reason == "x")
        #expect(ParseResult.ignored(reason: "y", eventType: nil).reason == "y")
        #expect(ParseResult.needsFetch(MercadoPagoPaymentRef(paymentID: "1")).reason == nil)
        #expect(ParseResult.conversion(Self.sample()).conversion == Self.sample())
    }

    @Test func headersAreOptionalAndCaseInsensitive() throws {
        let body = try SalesFixture.bytes(.monetizze, "boleto_waiting.json")
        // No content type argument: the header says JSON.
        let viaHeader = GatewayParser.parse(gateway: .monetizze, account: "a", body: body, contentType: nil, query: [],
                                            headers: ["Content-Type": "application/json"], receivedAt: salesReceivedAt)
        #expect(viaHeader.conversion?.transactionID == "41829002")
        let data = GatewayParser.parse(gateway: .hotmart, account: "a", body: Data(try SalesFixture.bytes(.hotmart, "purchase_approved.json")),
                                       contentType: nil, query: [], headers: [:])
        #expect(data.conversion?.transactionID == "HP3601724950112")
    }
}
