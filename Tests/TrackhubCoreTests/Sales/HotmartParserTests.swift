import Foundation
import Testing
@testable import TrackhubCore

@Suite struct SalesHotmartParserTests {
    @Test func purchaseApprovedWithOrigin() throws {
        let c = try requireConversion(try parseFixture(.hotmart, "purchase_approved.json", account: "doces"))
        #expect(c.gateway == .hotmart)
        #expect(c.account == "doces")
        #expect(c.transactionID == "HP3601724950112")
        #expect(c.status == .approved)
        #expect(c.rawEventType == "PURCHASE_APPROVED")
        #expect(c.value == dec("197"))
        #expect(c.metaValue == dec("197"))
        #expect(c.currency == "BRL")
        #expect(c.paymentMethod == .card)
        #expect(c.buyer.email == "mariana.souza.lima@cliente.test")
        #expect(c.buyer.phone == "+5511987654321")
        #expect(c.buyer.firstName == "Mariana")
        #expect(c.buyer.lastName == "Souza Lima")
        #expect(c.buyer.city == "São Paulo")
        #expect(c.buyer.state == "SP")
        #expect(c.buyer.zip == "04101-300")
        #expect(c.buyer.country == "BR")
        #expect(c.buyer.externalId == nil)
        #expect(c.document == "12345678909")
        #expect(c.ip == "203.0.113.45")
        #expect(c.userAgent == nil)
        #expect(c.productIDs == ["3865432"])
        #expect(c.tracking.sck == "01j9zq7x8kmd3v5r6t7w8y9abc")
        #expect(c.tracking.src == "fb_ads")
        #expect(c.tracking.xcod == "cmpA")
        #expect(c.tracking.clickIDs == ["01j9zq7x8kmd3v5r6t7w8y9abc"])
        // Approval time (ms → s), not the event's creation_date.
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_726_851_600))
        #expect(c.occurredAtEpochSeconds == 1_726_851_600)
        #expect(c.orderBumpParent == nil)
        #expect(!c.isTest)
        #expect(c.numItems == 1)
        #expect(c.purchaseEventID == "hotmart.HP3601724950112")
    }

    @Test func purchaseCompleteIsTheSameApprovedSale() throws {
        let approved = try requireConversion(try parseFixture(.hotmart, "purchase_approved.json"))
        let complete = try requireConversion(try parseFixture(.hotmart, "purchase_complete.json"))
        #expect(complete.status == .approved)
        #expect(complete.rawEventType == "PURCHASE_COMPLETE")
        #expect(complete.transactionID == approved.transactionID)
        #expect(complete.purchaseEventID == approved.purchaseEventID)
        // Still the approval time, 8 days before this delivery.
        #expect(complete.occurredAt == approved.occurredAt)
        var same = complete
        same.rawEventType = approved.rawEventType
        #expect(same == approved)
    }

    @Test func billetPrintedIsPendingBoleto() throws {
        let c = try requireConversion(try parseFixture(.hotmart, "purchase_billet_printed.json"))
        #expect(c.status == .pending)
        #expect(c.rawEventType == "PURCHASE_BILLET_PRINTED")
        #expect(c.paymentMethod == .boleto)
        #expect(c.transactionID == "HP0837261549903")
        #expect(c.value == dec("197"))
        // No approval yet: the event's creation_date.
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_726_938_000.321))
        // The number already carries the country code: not prefixed twice.
        #expect(c.buyer.phone == "+5531991234567")
        #expect(c.buyer.firstName == "João Pedro")
        #expect(c.buyer.lastName == "Carvalho")
        #expect(c.document == "98765432100")
        #expect(c.ip == "2001:db8:85a3::8a2e:370:7334")
        #expect(c.tracking.src == "ig_bio")
        #expect(c.tracking.sck == nil)
        #expect(c.tracking.clickIDs.isEmpty)
    }

    @Test func pixWaitingIsPendingPix() throws {
        let c = try requireConversion(try parseFixture(.hotmart, "purchase_pix_waiting.json"))
        #expect(c.status == .pending)
        #expect(c.paymentMethod == .pix)
        #expect(c.transactionID == "HP1920384756012")
    }

    @Test func refundedKeepsTheTransactionAndUsesTheEventTime() throws {
        let c = try requireConversion(try parseFixture(.hotmart, "purchase_refunded.json"))
        #expect(c.status == .refunded)
        #expect(c.rawEventType == "PURCHASE_REFUNDED")
        #expect(c.transactionID == "HP3601724950112")
        #expect(c.value == dec("197"))
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_727_110_800.789))
        #expect(c.statusEventID == "hotmart.HP3601724950112.refunded")
    }

    @Test func chargebackInUSDWithoutPhoneCode() throws {
        let c = try requireConversion(try parseFixture(.hotmart, "purchase_chargeback.json"))
        #expect(c.status == .chargeback)
        #expect(c.transactionID == "HP2209837465501")
        #expect(c.value == dec("39.9"))
        #expect(c.currency == "USD")
        #expect(c.paymentMethod == .other) // PAYPAL
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_729_260_000))
        #expect(c.buyer.phone == "912345678") // no code: left for the normalizer
        #expect(c.buyer.firstName == "Tiago")
        #expect(c.buyer.lastName == "Ferreira")
        #expect(c.buyer.country == "PT")
        #expect(c.tracking.xcod == "yt_desc")
        #expect(c.document == nil)
    }

    @Test func hotmartTestPayloadWithoutOrigin() throws {
        let c = try requireConversion(try parseFixture(.hotmart, "test_payload.json"))
        #expect(c.isTest)
        #expect(c.status == .approved)
        #expect(c.transactionID == "HP16015479281022")
        #expect(c.value == dec("1500"))
        #expect(c.productIDs == ["0"])
        // No origin: sckPaymentLink is the sck fallback.
        #expect(c.tracking.sck == "sckPaymentLinkTest")
        #expect(c.tracking.src == nil)
        #expect(c.orderBumpParent == "HP02316330308193")
        #expect(c.ip == nil) // "00.00.00.00" is not an address
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_511_783_346))
        #expect(c.buyer.firstName == "Teste")
        #expect(c.buyer.lastName == "Comprador")
        #expect(c.buyer.phone == "99999999900")
    }

    @Test func wrongButHarmlessTypesAreTolerated() throws {
        let c = try requireConversion(try parseFixture(.hotmart, "wrong_types.json"))
        #expect(c.transactionID == "HP3601724950112") // trimmed
        #expect(c.value == dec("197")) // "197,00"
        #expect(c.currency == "BRL") // "brl"
        #expect(c.paymentMethod == .card) // "credit_card"
        #expect(c.buyer.phone == "+5511987654321") // numbers for code and phone
        #expect(c.document == "12345678909") // a number
        #expect(c.ip == "203.0.113.45")
        #expect(c.productIDs == ["3865432"])
        #expect(c.tracking.sck == "12345") // a number
        #expect(c.tracking.xcod == nil) // empty
        #expect(c.orderBumpParent == nil) // "false"
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_726_851_600)) // ms as a string
        #expect(c.buyer.firstName == "Mariana")
        #expect(c.buyer.lastName == "Lima")
        #expect(c.buyer.city == nil) // address: null
    }

    @Test func missingTransactionIsMalformed() throws {
        let result = try parseFixture(.hotmart, "malformed_missing_transaction.json")
        #expect(result == .malformed(reason: "missing transaction id (data.purchase.transaction)"))
    }

    @Test func transactionOfTheWrongTypeIsMalformed() throws {
        let result = try parseFixture(.hotmart, "malformed_transaction_wrong_type.json")
        #expect(result == .malformed(reason: "transaction id (data.purchase.transaction) is not a string or number"))
    }

    @Test func missingEventIsMalformed() throws {
        #expect(try parseFixture(.hotmart, "malformed_missing_event.json") == .malformed(reason: "missing event type (event)"))
    }

    @Test func unknownEventIsIgnoredWithItsType() throws {
        let result = try parseFixture(.hotmart, "unknown_event.json")
        #expect(result == .ignored(reason: "Hotmart event type not mapped to a sale status", eventType: "SWITCH_PLAN"))
    }

    @Test(arguments: [
        ("PURCHASE_APPROVED", ConversionStatus.approved), ("PURCHASE_COMPLETE", .approved),
        ("PURCHASE_BILLET_PRINTED", .pending), ("PURCHASE_WAITING_PAYMENT", .pending),
        ("PURCHASE_REFUNDED", .refunded), ("PURCHASE_CHARGEBACK", .chargeback),
        ("PURCHASE_PROTEST", .other), ("PURCHASE_DELAYED", .other),
        ("PURCHASE_CANCELED", .canceled), ("PURCHASE_EXPIRED", .canceled),
    ])
    func eventMapping(_ event: String, _ status: ConversionStatus) throws {
        let body = try editedFixture(.hotmart, "purchase_approved.json") { $0["event"] = event }
        #expect(try requireConversion(parseSale(.hotmart, body: body)).status == status)
    }

    @Test(arguments: ["PURCHASE_OUT_OF_SHOPPING_CART", "SUBSCRIPTION_CANCELLATION", "CLUB_FIRST_ACCESS", "purchase_approved"])
    func irrelevantEventsAreIgnored(_ event: String) throws {
        let body = try editedFixture(.hotmart, "purchase_approved.json") { $0["event"] = event }
        guard case .ignored(_, let type) = parseSale(.hotmart, body: body) else {
            Issue.record("not ignored")
            return
        }
        #expect(type == event)
    }

    @Test func pendingEventWithoutApprovalDateFallsBackToOrderDateThenReceipt() throws {
        let noCreation = try editedFixture(.hotmart, "purchase_billet_printed.json") { $0["creation_date"] = nil }
        #expect(try requireConversion(parseSale(.hotmart, body: noCreation)).occurredAt
            == Date(timeIntervalSince1970: 1_726_937_990))
        let noTimes = try editedFixture(.hotmart, "purchase_billet_printed.json") {
            $0["creation_date"] = nil
            setPath(&$0, ["data", "purchase", "order_date"], nil)
        }
        #expect(try requireConversion(parseSale(.hotmart, body: noTimes)).occurredAt == salesReceivedAt)
    }

    @Test func missingPriceOrCurrencyIsMalformed() throws {
        let noPrice = try editedFixture(.hotmart, "purchase_approved.json") {
            setPath(&$0, ["data", "purchase", "price"], nil)
        }
        #expect(parseSale(.hotmart, body: noPrice) == .malformed(reason: "missing amount (data.purchase.price.value)"))
        let noCurrency = try editedFixture(.hotmart, "purchase_approved.json") {
            setPath(&$0, ["data", "purchase", "price", "currency_value"], nil)
            setPath(&$0, ["data", "purchase", "full_price"], nil)
            setPath(&$0, ["data", "purchase", "original_offer_price"], nil)
        }
        #expect(parseSale(.hotmart, body: noCurrency) == .malformed(reason: "missing currency (data.purchase.price.currency_value)"))
        // The older test payload has no price currency: the offer price's is used.
        let fallback = try editedFixture(.hotmart, "purchase_approved.json") {
            setPath(&$0, ["data", "purchase", "price", "currency_value"], nil)
        }
        #expect(try requireConversion(parseSale(.hotmart, body: fallback)).currency == "BRL")
        let negative = try editedFixture(.hotmart, "purchase_approved.json") {
            setPath(&$0, ["data", "purchase", "price", "value"], "-1")
        }
        #expect(parseSale(.hotmart, body: negative) == .malformed(reason: "amount (data.purchase.price.value) is out of range"))
    }

    @Test func notJSONIsMalformed() {
        #expect(parseSale(.hotmart, body: "hottok=abc".salesBytes) == .malformed(reason: "body is not valid JSON"))
        #expect(parseSale(.hotmart, body: "[1,2]".salesBytes) == .malformed(reason: "body is not a JSON object"))
        #expect(parseSale(.hotmart, body: #"{"event":"PURCHASE_APPROVED"}"#.salesBytes)
            == .malformed(reason: "missing data object (data)"))
    }
}
