import Foundation
import Testing
@testable import TrackhubCore

@Suite struct SalesEduzzParserTests {
    @Test func invoicePaid() throws {
        let c = try requireConversion(try parseFixture(.eduzz, "invoice_paid.json", account: "horta"))
        #expect(c.gateway == .eduzz)
        #expect(c.account == "horta")
        #expect(c.transactionID == "28451937")
        #expect(c.status == .approved)
        #expect(c.rawEventType == "myeduzz.invoice_paid")
        #expect(c.value == dec("297.9")) // exact, never through Double
        #expect(c.currency == "BRL")
        #expect(c.paymentMethod == .card)
        #expect(c.buyer.email == "camila.prado@cliente.test")
        #expect(c.buyer.phone == "(41) 99123-4567") // cellphone first
        #expect(c.buyer.firstName == "Camila")
        #expect(c.buyer.lastName == "Prado")
        #expect(c.buyer.city == nil)
        #expect(c.document == nil)
        #expect(c.ip == nil)
        #expect(c.productIDs == ["2113458", "2113460"])
        #expect(c.numItems == 2)
        #expect(c.tracking == TrackingParameters(
            utmSource: "facebook", utmMedium: "paid_social", utmCampaign: "horta_vertical_v2",
            utmContent: "01j9zt8a0b2c4d6e8f0g2h4j6k"))
        #expect(c.tracking.clickIDs == ["01j9zt8a0b2c4d6e8f0g2h4j6k"])
        // No paidAt: the delivery's sentDate, not the invoice's createdAt.
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_726_854_130.512))
        #expect(!c.isTest)
        #expect(c.purchaseEventID == "eduzz.28451937")
    }

    @Test func invoiceRefunded() throws {
        let c = try requireConversion(try parseFixture(.eduzz, "invoice_refunded.json"))
        #expect(c.status == .refunded)
        #expect(c.rawEventType == "myeduzz.invoice_refunded")
        #expect(c.transactionID == "28451937")
        #expect(c.value == dec("297.9"))
        #expect(c.tracking == TrackingParameters())
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_727_179_420)) // refundedAt
    }

    @Test func waitingPaymentPixWithStringsForNumbers() throws {
        let c = try requireConversion(try parseFixture(.eduzz, "invoice_waiting_payment_pix.json"))
        #expect(c.status == .pending)
        #expect(c.paymentMethod == .pix)
        #expect(c.value == dec("97")) // "97.00"
        #expect(c.productIDs == ["2113458"]) // a number
        #expect(c.transactionID == "28452210")
    }

    @Test func paidAtWinsWhenPresent() throws {
        let body = try editedFixture(.eduzz, "invoice_paid.json") {
            setPath(&$0, ["data", "paidAt"], "2024-09-20T17:40:00.000Z")
        }
        #expect(try requireConversion(parseSale(.eduzz, body: body)).occurredAt == Date(timeIntervalSince1970: 1_726_854_000))
    }

    @Test func unknownEventIsIgnored() throws {
        #expect(try parseFixture(.eduzz, "unknown_event.json")
            == .ignored(reason: "Eduzz event type not mapped to a sale status", eventType: "myeduzz.contract_created"))
    }

    @Test func missingInvoiceIDIsMalformed() throws {
        #expect(try parseFixture(.eduzz, "malformed_missing_id.json") == .malformed(reason: "missing transaction id (data.id)"))
    }

    @Test func unparseablePriceIsMalformed() throws {
        #expect(try parseFixture(.eduzz, "malformed_price.json") == .malformed(reason: "amount (data.price.value) is not a number"))
    }

    @Test(arguments: [
        ("myeduzz.invoice_paid", ConversionStatus.approved), ("myeduzz.invoice_opened", .pending),
        ("myeduzz.invoice_waiting_payment", .pending), ("myeduzz.invoice_refunded", .refunded),
        ("myeduzz.invoice_chargeback", .chargeback), ("myeduzz.invoice_canceled", .canceled),
        ("myeduzz.invoice_expired", .canceled), ("myeduzz.invoice_refused", .canceled),
        ("myeduzz.invoice_waiting_refund", .other),
    ])
    func eventMapping(_ event: String, _ status: ConversionStatus) throws {
        let body = try editedFixture(.eduzz, "invoice_paid.json") { $0["event"] = event }
        #expect(try requireConversion(parseSale(.eduzz, body: body)).status == status)
    }

    @Test(arguments: ["nutror.lesson_watched", "invoice_paid", "myeduzz.cart_abandonment", "myeduzz.commission_processed"])
    func otherEventsAreIgnored(_ event: String) throws {
        let body = try editedFixture(.eduzz, "invoice_paid.json") { $0["event"] = event }
        #expect(parseSale(.eduzz, body: body) == .ignored(reason: "Eduzz event type not mapped to a sale status", eventType: event))
    }

    @Test(arguments: [
        ("creditCard", PaymentMethod.card), ("pix", .pix), ("bankslip", .boleto), ("bankSlip", .boleto),
        ("paypal", .other),
    ])
    func paymentMethods(_ raw: String, _ method: PaymentMethod) {
        #expect(EduzzParser.paymentMethod(raw) == method)
        #expect(EduzzParser.paymentMethod(nil) == .unknown)
    }
}
