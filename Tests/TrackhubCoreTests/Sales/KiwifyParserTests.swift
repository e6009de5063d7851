import Foundation
import Testing
@testable import TrackhubCore

@Suite struct SalesKiwifyParserTests {
    @Test func orderApproved() throws {
        let c = try requireConversion(try parseFixture(.kiwify, "order_approved.json", account: "planilha"))
        #expect(c.gateway == .kiwify)
        #expect(c.account == "planilha")
        #expect(c.transactionID == "3f2b9c1e-7a4d-4e8b-9b61-2c5d8e0f1a37")
        #expect(c.status == .approved)
        #expect(c.rawEventType == "order_approved")
        #expect(c.value == dec("147.90")) // 14790 cents
        #expect(c.currency == "BRL")
        #expect(c.paymentMethod == .card)
        #expect(c.buyer.email == "rafael.nunes@cliente.test")
        #expect(c.buyer.phone == "+5521998877665")
        #expect(c.buyer.firstName == "Rafael")
        #expect(c.buyer.lastName == "Nunes")
        #expect(c.buyer.city == "Rio de Janeiro")
        #expect(c.buyer.state == "RJ")
        #expect(c.buyer.zip == "22270010")
        #expect(c.buyer.country == nil)
        #expect(c.document == "98765432100")
        #expect(c.ip == "198.51.100.23")
        #expect(c.productIDs == ["8d1e4f7a-0b2c-4c9d-a3e5-6f7a8b9c0d1e"])
        #expect(c.tracking == TrackingParameters(
            sck: "01j9zr2b4c6d8e0f1g2h3j4k5m", utmSource: "facebook", utmMedium: "cpc",
            utmCampaign: "planilha_lal_1", utmContent: "video_03"))
        #expect(c.tracking.clickIDCandidates == ["01j9zr2b4c6d8e0f1g2h3j4k5m", "video_03"])
        // "2024-09-20 14:32" Brasília time.
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_726_853_520))
        #expect(!c.isTest)
        #expect(c.numItems == 1)
        #expect(c.purchaseEventID == "kiwify.3f2b9c1e-7a4d-4e8b-9b61-2c5d8e0f1a37")
    }

    @Test func orderRefundedWithCentsAsString() throws {
        let c = try requireConversion(try parseFixture(.kiwify, "order_refunded.json"))
        #expect(c.status == .refunded)
        #expect(c.rawEventType == "order_refunded")
        #expect(c.value == dec("147.90"))
        #expect(c.transactionID == "3f2b9c1e-7a4d-4e8b-9b61-2c5d8e0f1a37")
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_727_269_500))
    }

    @Test func pixCreatedIsPendingPix() throws {
        let c = try requireConversion(try parseFixture(.kiwify, "pix_created.json"))
        #expect(c.status == .pending)
        #expect(c.rawEventType == "pix_created")
        #expect(c.paymentMethod == .pix)
        #expect(c.value == dec("97"))
        #expect(c.buyer.phone == "31988776655")
        #expect(c.buyer.firstName == "Luciana")
        #expect(c.buyer.lastName == "Ribeiro")
        #expect(c.document == "52998224725")
        #expect(c.tracking.src == "wpp_grupo")
        #expect(c.tracking.s1 == "01j9zs5n7p9q1r3s5t7v9w1x3y")
        #expect(c.tracking.clickIDs == ["01j9zs5n7p9q1r3s5t7v9w1x3y"])
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_726_834_500))
    }

    @Test func testWebhookWithNullTrackingParameters() throws {
        let c = try requireConversion(try parseFixture(.kiwify, "test_webhook.json"))
        #expect(c.isTest)
        #expect(c.status == .approved)
        #expect(c.value == dec("50.73"))
        #expect(c.tracking == TrackingParameters())
        #expect(c.tracking.isEmpty)
        #expect(c.tracking.clickIDCandidates.isEmpty)
        #expect(c.ip == "127.0.0.1")
    }

    @Test func statusOnlyDeliveryUsesOrderStatus() throws {
        let c = try requireConversion(try parseFixture(.kiwify, "chargedback_status_only.json"))
        #expect(c.status == .chargeback)
        #expect(c.rawEventType == "chargedback")
    }

    @Test func missingOrderIDIsMalformed() throws {
        #expect(try parseFixture(.kiwify, "malformed_missing_order_id.json")
            == .malformed(reason: "missing transaction id (order_id)"))
    }

    @Test func centsWithADecimalSeparatorAreRefusedNotGuessed() throws {
        #expect(try parseFixture(.kiwify, "malformed_amount_decimal_string.json")
            == .malformed(reason: "amount (Commissions.charge_amount) is not an integer number of minor units"))
    }

    @Test func unknownEventIsIgnored() throws {
        #expect(try parseFixture(.kiwify, "unknown_event.json")
            == .ignored(reason: "Kiwify event type not mapped to a sale status", eventType: "subscription_late"))
    }

    @Test func noEventTypeAtAllIsMalformed() throws {
        let body = try editedFixture(.kiwify, "order_approved.json") {
            $0["webhook_event_type"] = nil
            $0["order_status"] = nil
        }
        #expect(parseSale(.kiwify, body: body) == .malformed(reason: "missing event type (webhook_event_type, order_status)"))
    }

    @Test(arguments: [
        ("order_approved", ConversionStatus.approved), ("compra_aprovada", .approved), ("order_paid", .approved),
        ("billet_created", .pending), ("boleto_gerado", .pending), ("pix_created", .pending),
        ("order_refunded", .refunded), ("compra_reembolsada", .refunded),
        ("chargeback", .chargeback), ("order_rejected", .canceled), ("compra_recusada", .canceled),
        ("subscription_renewed", .approved),
    ])
    func eventMapping(_ event: String, _ status: ConversionStatus) throws {
        let body = try editedFixture(.kiwify, "order_approved.json") { $0["webhook_event_type"] = event }
        #expect(try requireConversion(parseSale(.kiwify, body: body)).status == status)
    }

    @Test func wrappedOrderIsAccepted() throws {
        let inner = try SalesFixture.text(.kiwify, "order_approved.json")
        let c = try requireConversion(parseSale(.kiwify, body: #"{"order": \#(inner)}"#.salesBytes))
        #expect(c.transactionID == "3f2b9c1e-7a4d-4e8b-9b61-2c5d8e0f1a37")
    }

    @Test func missingCurrencyDefaultsToBRLButAJunkOneIsMalformed() throws {
        let none = try editedFixture(.kiwify, "order_approved.json") {
            setPath(&$0, ["Commissions", "currency"], nil)
            setPath(&$0, ["Commissions", "product_base_price_currency"], nil)
        }
        #expect(try requireConversion(parseSale(.kiwify, body: none)).currency == "BRL")
        let junk = try editedFixture(.kiwify, "order_approved.json") {
            setPath(&$0, ["Commissions", "currency"], "R$")
            setPath(&$0, ["Commissions", "product_base_price_currency"], nil)
        }
        #expect(parseSale(.kiwify, body: junk) == .malformed(reason: "currency (Commissions.currency) is not an ISO-4217 code"))
    }

    @Test func basePriceIsTheFallbackAmount() throws {
        let body = try editedFixture(.kiwify, "order_approved.json") { setPath(&$0, ["Commissions", "charge_amount"], nil) }
        #expect(try requireConversion(parseSale(.kiwify, body: body)).value == dec("147"))
    }
}
