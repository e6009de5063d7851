import Foundation
import Testing
@testable import TrackhubCore

@Suite struct SalesMonetizzeParserTests {
    static let form = "application/x-www-form-urlencoded"

    @Test func approvedForm() throws {
        let c = try requireConversion(try parseFixture(.monetizze, "approved_form.txt", account: "ingles", contentType: Self.form))
        #expect(c.gateway == .monetizze)
        #expect(c.account == "ingles")
        #expect(c.transactionID == "41827365")
        #expect(c.status == .approved)
        #expect(c.rawEventType == "2")
        #expect(c.value == dec("397"))
        #expect(c.currency == "BRL")
        #expect(c.paymentMethod == .card) // "Cartão de crédito"
        #expect(c.buyer.email == "beatriz.costa@cliente.test")
        #expect(c.buyer.phone == "(85) 98811-2233")
        #expect(c.buyer.firstName == "Beatriz")
        #expect(c.buyer.lastName == "Costa")
        #expect(c.buyer.city == "Fortaleza")
        #expect(c.buyer.state == "CE")
        #expect(c.buyer.zip == "60160230")
        #expect(c.buyer.country == "Brasil")
        #expect(c.buyer.dateOfBirth == "1991-04-17")
        #expect(c.document == "12345678909")
        #expect(c.ip == "198.51.100.88")
        #expect(c.userAgent?.hasPrefix("Mozilla/5.0 (Linux; Android 14") == true)
        #expect(c.productIDs == ["298341"])
        #expect(c.numItems == 1)
        #expect(c.tracking == TrackingParameters(
            src: "01j9zv3c5d7e9f1g3h5j7k9m1n", utmSource: "facebook", utmMedium: "cpc",
            utmCampaign: "ingles90_frio", utmContent: "criativo_12"))
        #expect(c.tracking.clickIDs == ["01j9zv3c5d7e9f1g3h5j7k9m1n"])
        // dataFinalizada "2024-09-20 10:14:02", Brasília time.
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_726_838_042))
        #expect(!c.isTest)
        #expect(c.purchaseEventID == "monetizze.41827365")
    }

    @Test func contentTypeIsNotNeededForAForm() throws {
        let withType = try requireConversion(try parseFixture(.monetizze, "approved_form.txt", contentType: Self.form))
        let without = try requireConversion(try parseFixture(.monetizze, "approved_form.txt", contentType: nil))
        #expect(withType == without)
    }

    @Test func jsonFieldAloneGivesTheSameConversion() throws {
        let form = try requireConversion(try parseFixture(.monetizze, "approved_form.txt", contentType: Self.form))
        let json = try requireConversion(try parseFixture(.monetizze, "approved_json_field_only.txt", contentType: Self.form))
        #expect(json == form)
    }

    @Test func refundedFormWithDecimalComma() throws {
        let c = try requireConversion(try parseFixture(.monetizze, "refunded_form.txt", contentType: Self.form))
        #expect(c.status == .refunded)
        #expect(c.rawEventType == "4")
        #expect(c.value == dec("397")) // "397,00"
        #expect(c.transactionID == "41827365")
        // Monetizze sends no refund time: the receive time.
        #expect(c.occurredAt == salesReceivedAt)
        #expect(c.statusEventID == "monetizze.41827365.refunded")
    }

    @Test func jsonBodyWithNumbersForCodes() throws {
        let c = try requireConversion(try parseFixture(.monetizze, "boleto_waiting.json", contentType: "application/json"))
        #expect(c.status == .pending)
        #expect(c.rawEventType == "1")
        #expect(c.transactionID == "41829002")
        #expect(c.value == dec("397"))
        #expect(c.paymentMethod == .boleto)
        // dataFinalizada "0000-00-00 00:00:00" is no date; pending uses dataInicio.
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_726_916_400))
    }

    @Test func abandonedCheckoutIsIgnoredBeforeLookingForATransaction() throws {
        #expect(try parseFixture(.monetizze, "abandoned_checkout_form.txt", contentType: Self.form)
            == .ignored(reason: "Monetizze event code not mapped to a sale status", eventType: "7"))
    }

    @Test func missingSaleCodeIsMalformed() throws {
        #expect(try parseFixture(.monetizze, "malformed_missing_codigo_form.txt", contentType: Self.form)
            == .malformed(reason: "missing transaction id (venda[codigo])"))
    }

    @Test func subscriptionCodesAreIgnored() throws {
        #expect(try parseFixture(.monetizze, "unknown_event_form.txt", contentType: Self.form)
            == .ignored(reason: "Monetizze event code not mapped to a sale status", eventType: "101"))
    }

    @Test(arguments: [
        ("1", ConversionStatus.pending), ("2", .approved), ("3", .canceled), ("4", .refunded),
        ("5", .chargeback), ("6", .approved), ("98", .pending), ("99", .pending),
    ])
    func eventCodes(_ code: String, _ status: ConversionStatus) {
        let body = "tipoEvento%5Bcodigo%5D=\(code)&venda%5Bcodigo%5D=123&venda%5Bvalor%5D=10.50"
        let c = parseSale(.monetizze, body: body.salesBytes, contentType: Self.form).conversion
        #expect(c?.status == status)
        #expect(c?.value == dec("10.5"))
    }

    @Test func statusTextIsTheFallbackEventType() {
        let body = "venda[status]=Finalizada&venda[codigo]=123&venda[valor]=10"
        let c = parseSale(.monetizze, body: body.salesBytes, contentType: Self.form).conversion
        #expect(c?.status == .approved)
        #expect(c?.rawEventType == "Finalizada")
        #expect(parseSale(.monetizze, body: "venda[codigo]=123&venda[valor]=10".salesBytes, contentType: Self.form)
            == .malformed(reason: "missing event type (tipoEvento[codigo], venda[status])"))
    }

    @Test func orderBumpItemsAreProducts() {
        let body = [
            "tipoEvento[codigo]=2", "venda[codigo]=9", "venda[valor]=147.00", "produto[codigo]=100",
            "venda_item_order_bump[0][produto]=100", "venda_item_order_bump[0][quantidade]=1",
            "venda_item_order_bump[1][produto]=200", "venda_item_order_bump[1][quantidade]=2",
        ].joined(separator: "&")
        let c = parseSale(.monetizze, body: body.salesBytes, contentType: Self.form).conversion
        #expect(c?.productIDs == ["100", "200"])
        #expect(c?.numItems == 3)
    }

    @Test func phpFormPaths() {
        #expect(MonetizzeParser.phpPath("venda[codigo]") == ["venda", "codigo"])
        #expect(MonetizzeParser.phpPath("a[0][b]") == ["a", "0", "b"])
        #expect(MonetizzeParser.phpPath("a[]") == ["a", ""])
        #expect(MonetizzeParser.phpPath("plain") == ["plain"])
        #expect(MonetizzeParser.phpPath("a[b") == ["a[b"])
        #expect(MonetizzeParser.phpPath("[x]") == nil)
        #expect(MonetizzeParser.phpPath("a" + String(repeating: "[x]", count: 9)) == nil)
        let tree = MonetizzeParser.formTree([("a[]", "x"), ("a[]", "y"), ("b[c]", "1"), ("b[c]", "2"), ("b", "3")])
        #expect(MonetizzeParser.elements(tree["a"]).compactMap(\.string) == ["x", "y"])
        #expect(tree["b"]["c"].string == "1") // first wins
    }

    @Test func notAFormIsMalformed() {
        #expect(parseSale(.monetizze, body: [], contentType: Self.form) == .malformed(reason: "body is not a form"))
        #expect(parseSale(.monetizze, body: "{oops".salesBytes, contentType: "application/json")
            == .malformed(reason: "body is not valid JSON"))
    }
}
