import Foundation
import Testing
@testable import TrackhubCore

@Suite struct SalesMercadoPagoParserTests {
    @Test func webhookNeedsAFetchOfTheNamedPayment() throws {
        let query = QueryString.parse(try SalesFixture.text(.mercadopago, "webhook_payment.query.txt"))
        let result = try parseFixture(.mercadopago, "webhook_payment.json", query: query)
        #expect(result == .needsFetch(MercadoPagoPaymentRef(paymentID: "88812345678")))
        #expect(MercadoPagoPaymentRef(paymentID: "88812345678").apiPath == "/v1/payments/88812345678")
        // The body alone is enough when the query lacks data.id.
        #expect(try parseFixture(.mercadopago, "webhook_payment.json") == .needsFetch(MercadoPagoPaymentRef(paymentID: "88812345678")))
    }

    @Test func legacyIPNWithQueryOnly() {
        #expect(parseSale(.mercadopago, body: [], query: [("topic", "payment"), ("id", "123456")])
            == .needsFetch(MercadoPagoPaymentRef(paymentID: "123456")))
        #expect(parseSale(.mercadopago, body: [], query: [("topic", "merchant_order"), ("id", "99")])
            == .ignored(reason: "Mercado Pago notification topic is not a payment", eventType: "merchant_order"))
    }

    @Test func queryAndBodyMustAgree() throws {
        let result = try parseFixture(.mercadopago, "webhook_payment.json", query: [("data.id", "1"), ("type", "payment")])
        #expect(result == .malformed(reason: "payment id in the query (data.id) and the body (data.id) differ"))
    }

    @Test func paymentIDMustBeSafeInAURL() {
        for id in ["../../v1/users/me", "123?x=1", "12 34", String(repeating: "9", count: 65)] {
            let body = #"{"type":"payment","data":{"id":"\#(id)"}}"#
            #expect(parseSale(.mercadopago, body: body.salesBytes) == .malformed(reason: "payment id (data.id) has an unusable format"))
        }
        #expect(parseSale(.mercadopago, body: #"{"type":"payment","data":{}}"#.salesBytes)
            == .malformed(reason: "missing payment id (data.id)"))
        #expect(parseSale(.mercadopago, body: #"{"data":{"id":"1"}}"#.salesBytes) == .malformed(reason: "missing event type (type)"))
        // action alone names the topic.
        #expect(parseSale(.mercadopago, body: #"{"action":"payment.created","data":{"id":1}}"#.salesBytes)
            == .needsFetch(MercadoPagoPaymentRef(paymentID: "1")))
    }

    @Test func otherTopicsAreIgnored() throws {
        #expect(try parseFixture(.mercadopago, "webhook_merchant_order.json")
            == .ignored(reason: "Mercado Pago notification topic is not a payment", eventType: "merchant_order"))
    }

    @Test func fetchedPaymentApprovedPix() throws {
        let result = GatewayParser.parseMercadoPagoPayment(
            account: "ceramica", json: try SalesFixture.bytes(.mercadopago, "payment_approved_pix.json"), receivedAt: salesReceivedAt)
        let c = try requireConversion(result)
        #expect(c.gateway == .mercadopago)
        #expect(c.account == "ceramica")
        #expect(c.transactionID == "88812345678")
        #expect(c.status == .approved)
        #expect(c.rawEventType == "approved")
        #expect(c.value == dec("1200.5"))
        #expect(c.currency == "BRL")
        #expect(c.paymentMethod == .pix)
        #expect(c.buyer.email == "gustavo.teixeira@cliente.test")
        #expect(c.buyer.phone == "48988112233")
        #expect(c.buyer.firstName == "Gustavo")
        #expect(c.buyer.lastName == "Teixeira")
        #expect(c.buyer.zip == "88015-200")
        #expect(c.document == "12345678909")
        #expect(c.ip == "203.0.113.190")
        #expect(c.productIDs == ["MENT-CER-T4"])
        #expect(c.numItems == 1) // quantity "1"
        #expect(c.tracking.clientReferenceID == "pedido-7781")
        #expect(c.tracking.metadata == ["click_id": "01j9zz2f4g6h8j0k2m4n6p8q0r", "th_account": "ceramica", "turma": "4"])
        #expect(c.tracking.clickIDCandidates == ["01j9zz2f4g6h8j0k2m4n6p8q0r", "pedido-7781"])
        #expect(c.tracking.clickIDs == ["01j9zz2f4g6h8j0k2m4n6p8q0r"])
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_726_843_858)) // date_approved, -04:00
        #expect(!c.isTest)
        #expect(c.purchaseEventID == "mercadopago.88812345678")
    }

    @Test func fetchedPaymentRefunded() throws {
        let c = try requireConversion(GatewayParser.parseMercadoPagoPayment(
            account: "ceramica", json: try SalesFixture.bytes(.mercadopago, "payment_refunded.json"), receivedAt: salesReceivedAt))
        #expect(c.status == .refunded)
        #expect(c.value == dec("1200.5"))
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_727_097_150)) // date_last_updated
    }

    @Test func fetchedPaymentChargedBackCardInTestMode() throws {
        let c = try requireConversion(GatewayParser.parseMercadoPagoPayment(
            account: "ceramica", json: try SalesFixture.bytes(.mercadopago, "payment_charged_back_card.json"),
            receivedAt: salesReceivedAt))
        #expect(c.status == .chargeback)
        #expect(c.paymentMethod == .card)
        #expect(c.transactionID == "88812399001")
        #expect(c.isTest)
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_729_018_800))
    }

    @Test func fetchedPaymentMalformedAndUnknown() throws {
        #expect(GatewayParser.parseMercadoPagoPayment(
            account: "a", json: try SalesFixture.bytes(.mercadopago, "payment_malformed_missing_id.json"))
            == .malformed(reason: "missing transaction id (id)"))
        #expect(GatewayParser.parseMercadoPagoPayment(
            account: "a", json: try SalesFixture.bytes(.mercadopago, "payment_unknown_status.json"))
            == .ignored(reason: "Mercado Pago payment status not mapped to a sale status", eventType: "mystery_state"))
        #expect(GatewayParser.parseMercadoPagoPayment(account: "a", json: Data("nope".utf8))
            == .malformed(reason: "body is not valid JSON"))
    }

    @Test(arguments: [
        ("approved", ConversionStatus.approved), ("pending", .pending), ("in_process", .pending),
        ("authorized", .pending), ("refunded", .refunded), ("charged_back", .chargeback),
        ("in_mediation", .other), ("cancelled", .canceled), ("rejected", .canceled),
    ])
    func statusMapping(_ status: String, _ expected: ConversionStatus) throws {
        let body = try editedFixture(.mercadopago, "payment_approved_pix.json") { $0["status"] = status }
        #expect(try requireConversion(GatewayParser.parseMercadoPagoPayment(account: "a", json: body)).status == expected)
    }

    @Test(arguments: [
        ("credit_card", "visa", PaymentMethod.card), ("debit_card", "debelo", .card), ("ticket", "bolbradesco", .boleto),
        ("ticket", "pec", .other), ("bank_transfer", "pix", .pix), ("account_money", "account_money", .other),
    ])
    func paymentMethods(_ type: String, _ method: String, _ expected: PaymentMethod) {
        #expect(MercadoPagoParser.paymentMethod(type: type, method: method) == expected)
        #expect(MercadoPagoParser.paymentMethod(type: nil, method: nil) == .unknown)
    }
}
