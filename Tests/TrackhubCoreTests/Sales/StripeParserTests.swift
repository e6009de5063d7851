import Foundation
import Testing
@testable import TrackhubCore

@Suite struct SalesStripeParserTests {
    static let paymentIntent = "pi_3Q1rXyL8m2KfT0Za1Bc4DeFg"

    @Test func checkoutSessionCompletedPaid() throws {
        let c = try requireConversion(try parseFixture(.stripe, "checkout_session_completed_paid.json", account: "mentoria"))
        #expect(c.gateway == .stripe)
        #expect(c.account == "mentoria")
        #expect(c.transactionID == Self.paymentIntent) // not the session id
        #expect(c.status == .approved)
        #expect(c.rawEventType == "checkout.session.completed")
        #expect(c.value == dec("197.00"))
        #expect(c.currency == "BRL") // "brl"
        #expect(c.paymentMethod == .card)
        #expect(c.buyer.email == "fernanda.matos@cliente.test")
        #expect(c.buyer.phone == "+5541999887766")
        #expect(c.buyer.firstName == "Fernanda")
        #expect(c.buyer.lastName == "Queiroz")
        #expect(c.buyer.city == "Curitiba")
        #expect(c.buyer.state == "PR")
        #expect(c.buyer.zip == "80020-310")
        #expect(c.buyer.country == "BR")
        #expect(c.document == "12345678909") // tax_ids br_cpf
        #expect(c.ip == nil)
        #expect(c.tracking.clientReferenceID == "01j9zw4d6e8f0g2h4j6k8m0n2p")
        #expect(c.tracking.metadata == [
            "click_id": "01j9zw4d6e8f0g2h4j6k8m0n2p", "fbp": "fb.1.1726851990123.1234567890", "campaign": "mentoria_set",
        ])
        #expect(c.tracking.clickIDCandidates == ["01j9zw4d6e8f0g2h4j6k8m0n2p"]) // metadata and client ref deduplicated
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_726_852_210))
        #expect(!c.isTest)
        #expect(c.purchaseEventID == "stripe.\(Self.paymentIntent)")
    }

    @Test func sessionAndItsPaymentIntentAreOneTransaction() throws {
        let session = try requireConversion(try parseFixture(.stripe, "checkout_session_completed_paid.json"))
        let intent = try requireConversion(try parseFixture(.stripe, "payment_intent_succeeded.json"))
        #expect(intent.status == .approved)
        #expect(intent.rawEventType == "payment_intent.succeeded")
        #expect(intent.transactionID == session.transactionID)
        #expect(intent.purchaseEventID == session.purchaseEventID)
        #expect(intent.value == dec("197"))
        #expect(intent.currency == "BRL")
        #expect(intent.paymentMethod == .card)
        #expect(intent.buyer.email == "fernanda.matos@cliente.test") // receipt_email
        #expect(intent.tracking == TrackingParameters())
        #expect(intent.occurredAt == Date(timeIntervalSince1970: 1_726_852_209))
        // The refund and the dispute of its charge belong to the same transaction too.
        let refund = try requireConversion(try parseFixture(.stripe, "charge_refunded.json"))
        let dispute = try requireConversion(try parseFixture(.stripe, "charge_dispute_created.json"))
        #expect(refund.transactionID == session.transactionID)
        #expect(dispute.transactionID == session.transactionID)
    }

    @Test func unpaidBoletoSessionIsPendingThenAsyncSucceeds() throws {
        let pending = try requireConversion(try parseFixture(.stripe, "checkout_session_completed_unpaid_boleto.json"))
        #expect(pending.status == .pending)
        #expect(pending.paymentMethod == .boleto)
        #expect(pending.value == dec("497"))
        #expect(pending.transactionID == "pi_3Q1sA0L8m2KfT0Za0Qw2ErTy")
        #expect(pending.document == "52998224725")
        #expect(pending.buyer.phone == nil)
        #expect(pending.tracking.metadata["th_cid"] == "01j9zx1a3b5c7d9e1f3g5h7j9k")
        #expect(pending.tracking.clickIDs == ["01j9zx1a3b5c7d9e1f3g5h7j9k"])
        let paid = try requireConversion(try parseFixture(.stripe, "checkout_session_async_payment_succeeded.json"))
        #expect(paid.status == .approved)
        #expect(paid.rawEventType == "checkout.session.async_payment_succeeded")
        #expect(paid.transactionID == pending.transactionID)
        #expect(paid.occurredAt == Date(timeIntervalSince1970: 1_726_941_600))
    }

    @Test func chargeRefunded() throws {
        let c = try requireConversion(try parseFixture(.stripe, "charge_refunded.json"))
        #expect(c.status == .refunded)
        #expect(c.rawEventType == "charge.refunded")
        #expect(c.value == dec("197"))
        #expect(c.paymentMethod == .card)
        #expect(c.buyer.firstName == "Fernanda")
        #expect(c.buyer.zip == "80020-310")
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_727_197_800))
    }

    @Test func partialRefundValueIsTheAmountRefunded() throws {
        let body = try editedFixture(.stripe, "charge_refunded.json") {
            setPath(&$0, ["data", "object", "amount_refunded"], 5000)
        }
        #expect(try requireConversion(parseSale(.stripe, body: body)).value == dec("50"))
    }

    @Test func disputeIsAChargeback() throws {
        let c = try requireConversion(try parseFixture(.stripe, "charge_dispute_created.json"))
        #expect(c.status == .chargeback)
        #expect(c.rawEventType == "charge.dispute.created")
        #expect(c.value == dec("197"))
        #expect(c.buyer.isEmpty)
        #expect(c.occurredAt == Date(timeIntervalSince1970: 1_728_400_000))
        // Older disputes without payment_intent fall back to the charge id.
        let old = try editedFixture(.stripe, "charge_dispute_created.json") {
            setPath(&$0, ["data", "object", "payment_intent"], nil)
        }
        #expect(try requireConversion(parseSale(.stripe, body: old)).transactionID == "ch_3Q1rXyL8m2KfT0Za1Hj5KmNp")
    }

    @Test func zeroDecimalCurrencyTestModeAndExpandedCharge() throws {
        let c = try requireConversion(try parseFixture(.stripe, "payment_intent_succeeded_jpy_test_mode.json"))
        #expect(c.value == dec("4980")) // JPY has no minor unit
        #expect(c.currency == "JPY")
        #expect(c.isTest) // livemode: false
        #expect(c.buyer.email == "kenji.sato@cliente.test") // expanded latest_charge
        #expect(c.buyer.city == "Osaka")
        #expect(c.tracking.metadata == ["click_id": "01j9zy6e8f0g2h4j6k8m0n2p4q", "order": "1087"])
        #expect(c.tracking.clickIDs == ["01j9zy6e8f0g2h4j6k8m0n2p4q"])
    }

    @Test(arguments: [("USD", "19.90"), ("BRL", "19.90"), ("JPY", "1990"), ("KWD", "1.990"), ("CLP", "1990")])
    func minorUnitsByCurrency(_ currency: String, _ expected: String) throws {
        let body = try editedFixture(.stripe, "payment_intent_succeeded.json") {
            setPath(&$0, ["data", "object", "currency"], currency.lowercased())
            setPath(&$0, ["data", "object", "amount"], 1990)
            setPath(&$0, ["data", "object", "amount_received"], 1990)
        }
        let c = try requireConversion(parseSale(.stripe, body: body))
        #expect(c.value == dec(expected))
        #expect(c.currency == currency)
    }

    @Test func subscriptionSessionAndInvoiceShareTheInvoice() throws {
        let session = try editedFixture(.stripe, "checkout_session_completed_paid.json") {
            setPath(&$0, ["data", "object", "mode"], "subscription")
            setPath(&$0, ["data", "object", "payment_intent"], nil)
            setPath(&$0, ["data", "object", "invoice"], "in_1Q1rY0L8m2KfT0ZaInv0001")
        }
        let invoice = """
        {"id":"evt_inv","object":"event","type":"invoice.paid","created":1726852300,"livemode":true,
         "data":{"object":{"id":"in_1Q1rY0L8m2KfT0ZaInv0001","object":"invoice","amount_paid":4990,"total":4990,
           "currency":"brl","customer_email":"fernanda.matos@cliente.test","customer_name":"Fernanda Matos Queiroz",
           "payment_intent":"pi_3Q1rY1L8m2KfT0Za0Sub0001","metadata":{},
           "subscription_details":{"metadata":{"click_id":"01j9zw4d6e8f0g2h4j6k8m0n2p"}},
           "lines":{"data":[{"quantity":1,"price":{"id":"price_1","product":"prod_QtMent01"}}]}}}}
        """
        let s = try requireConversion(parseSale(.stripe, body: session))
        let i = try requireConversion(parseSale(.stripe, body: invoice.salesBytes))
        #expect(s.transactionID == "in_1Q1rY0L8m2KfT0ZaInv0001")
        #expect(i.transactionID == s.transactionID)
        #expect(i.status == .approved)
        #expect(i.value == dec("49.90"))
        #expect(i.productIDs == ["prod_QtMent01"])
        #expect(i.numItems == 1)
        #expect(i.tracking.clickIDs == ["01j9zw4d6e8f0g2h4j6k8m0n2p"])
    }

    @Test func requiresActionIsPendingOnlyForVouchers() throws {
        let voucher = try editedFixture(.stripe, "payment_intent_succeeded.json") {
            $0["type"] = "payment_intent.requires_action"
            setPath(&$0, ["data", "object", "next_action"], ["type": "pix_display_qr_code"])
            setPath(&$0, ["data", "object", "payment_method_types"], ["pix"])
        }
        let c = try requireConversion(parseSale(.stripe, body: voucher))
        #expect(c.status == .pending)
        #expect(c.paymentMethod == .pix)
        let threeDS = try editedFixture(.stripe, "payment_intent_succeeded.json") {
            $0["type"] = "payment_intent.requires_action"
            setPath(&$0, ["data", "object", "next_action"], ["type": "use_stripe_sdk"])
        }
        #expect(parseSale(.stripe, body: threeDS).reason == "Stripe payment needs customer action that is not a voucher or QR code")
    }

    @Test(arguments: [
        ("payment_intent.processing", ConversionStatus.pending), ("payment_intent.canceled", .canceled),
        ("charge.succeeded", .approved),
    ])
    func otherMappedTypes(_ type: String, _ status: ConversionStatus) throws {
        let source = type.hasPrefix("charge.") ? "charge_refunded.json" : "payment_intent_succeeded.json"
        let body = try editedFixture(.stripe, source) { $0["type"] = type }
        #expect(try requireConversion(parseSale(.stripe, body: body)).status == status)
    }

    @Test func sessionPaymentStatusIsStrict() throws {
        let free = try editedFixture(.stripe, "checkout_session_completed_paid.json") {
            setPath(&$0, ["data", "object", "payment_status"], "no_payment_required")
        }
        #expect(try requireConversion(parseSale(.stripe, body: free)).status == .other)
        let odd = try editedFixture(.stripe, "checkout_session_completed_paid.json") {
            setPath(&$0, ["data", "object", "payment_status"], "partially_paid")
        }
        #expect(parseSale(.stripe, body: odd) == .malformed(reason: "unknown payment_status (data.object.payment_status)"))
        let setup = try editedFixture(.stripe, "checkout_session_completed_paid.json") {
            setPath(&$0, ["data", "object", "mode"], "setup")
            setPath(&$0, ["data", "object", "amount_total"], nil)
            setPath(&$0, ["data", "object", "payment_status"], "no_payment_required")
        }
        #expect(parseSale(.stripe, body: setup)
            == .ignored(reason: "Stripe setup-mode session is not a sale", eventType: "checkout.session.completed"))
    }

    @Test func zeroInvoiceIsNotAPurchase() {
        let invoice = """
        {"type":"invoice.paid","created":1726852300,"livemode":true,"data":{"object":{"id":"in_trial01","object":"invoice",
         "amount_paid":0,"total":0,"currency":"usd"}}}
        """
        let c = parseSale(.stripe, body: invoice.salesBytes).conversion
        #expect(c?.status == .other)
        #expect(c?.value == 0)
        #expect(c?.transactionID == "in_trial01")
    }

    @Test func unknownEventIsIgnored() throws {
        #expect(try parseFixture(.stripe, "unknown_event.json")
            == .ignored(reason: "Stripe event type not mapped to a sale status", eventType: "customer.created"))
    }

    @Test func malformedVariants() throws {
        #expect(try parseFixture(.stripe, "malformed_missing_amount.json")
            == .malformed(reason: "missing amount (data.object.amount_total)"))
        #expect(try parseFixture(.stripe, "malformed_missing_id.json") == .malformed(reason: "missing transaction id (data.object.id)"))
        #expect(try parseFixture(.stripe, "malformed_amount_decimal_string.json")
            == .malformed(reason: "amount (data.object.amount_total) is not an integer number of minor units"))
        #expect(parseSale(.stripe, body: #"{"type":"payment_intent.succeeded","data":{}}"#.salesBytes)
            == .malformed(reason: "missing event object (data.object)"))
        #expect(parseSale(.stripe, body: #"{"type":7}"#.salesBytes) == .ignored(
            reason: "Stripe event type not mapped to a sale status", eventType: "7"))
        #expect(parseSale(.stripe, body: #"{"type":{"a":1}}"#.salesBytes) == .malformed(reason: "event type (type) is not a string"))
    }

    @Test func amountsAsDigitStringsAreTolerated() throws {
        let body = try editedFixture(.stripe, "checkout_session_completed_paid.json") {
            setPath(&$0, ["data", "object", "amount_total"], "19700")
        }
        #expect(try requireConversion(parseSale(.stripe, body: body)).value == dec("197"))
    }
}
