import Foundation
import Testing
@testable import TrackhubCore

/// Issue 15 item 4: `custom_data.value` carries the gateway's decimal amount exactly. For each
/// gateway, 1,000 seeded random prices are put into a real fixture payload, parsed, turned into
/// the sale's `custom_data` (the function `SaleEventDecision` uses) and written as the CAPI
/// event JSON; the bytes of `value` must be the source amount's digits (trailing zeros dropped).
@Suite struct SalesExactMoneyTests {
    /// How a gateway's fixture carries the amount.
    struct Case: Sendable, CustomTestStringConvertible {
        var gateway: Gateway
        var fixture: String
        var contentType: String
        /// Text after which the amount literal starts, searched in order.
        var anchors: [String]
        /// Amounts in minor units (Stripe, Kiwify) rather than decimal text.
        var minorUnits: Bool
        var testDescription: String { gateway.rawValue }
    }

    static let cases: [Case] = [
        Case(gateway: .hotmart, fixture: "purchase_approved.json", contentType: "application/json",
             anchors: ["\"price\": {", "\"value\": "], minorUnits: false),
        Case(gateway: .eduzz, fixture: "invoice_paid.json", contentType: "application/json",
             anchors: ["\"price\": {", "\"value\": "], minorUnits: false),
        Case(gateway: .monetizze, fixture: "approved_form.txt", contentType: "application/x-www-form-urlencoded",
             anchors: ["venda%5Bvalor%5D="], minorUnits: false),
        Case(gateway: .mercadopago, fixture: "payment_approved_pix.json", contentType: "application/json",
             anchors: ["\"transaction_amount\": "], minorUnits: false),
        Case(gateway: .kiwify, fixture: "order_approved.json", contentType: "application/json",
             anchors: ["\"charge_amount\": "], minorUnits: true),
        Case(gateway: .stripe, fixture: "checkout_session_completed_paid.json", contentType: "application/json",
             anchors: ["\"amount_total\": "], minorUnits: true),
    ]

    @Test("1,000 random prices per gateway reach the CAPI body digit for digit", arguments: cases)
    func randomPrices(_ gateway: Case) throws {
        let template = try SalesFixture.text(gateway.gateway, gateway.fixture)
        var rng = MetaTestRNG(seed: 0x15_04 &+ UInt64(gateway.gateway.rawValue.utf8.count))
        var inexact = 0
        for i in 0..<1_000 {
            let units = UInt64.random(in: 0...99_999, using: &rng)
            let cents = UInt64.random(in: 0...99, using: &rng)
            let source = gateway.minorUnits ? "\(units * 100 + cents)" : "\(units).\(cents < 10 ? "0" : "")\(cents)"
            let expected = gateway.minorUnits ? Self.fromMinorUnits(source, places: 2) : Self.canonical(source)
            let body = try Self.replacingNumber(in: template, after: gateway.anchors, with: source)
            let written = try Self.writtenValue(gateway.gateway, body: body, contentType: gateway.contentType)
            if written != expected {
                inexact += 1
                if inexact <= 3 { Issue.record("#\(i): source \(source) → value \(written), expected \(expected)") }
            }
        }
        #expect(inexact == 0)
    }

    @Test("Stripe zero-decimal (JPY) and three-decimal (KWD) amounts keep their minor units")
    func stripeCurrencies() throws {
        let template = try SalesFixture.text(.stripe, "checkout_session_completed_paid.json")
        var rng = MetaTestRNG(seed: 0x15_0403)
        for (currency, places) in [("jpy", 0), ("kwd", 3)] {
            let withCurrency = template.replacingOccurrences(of: "\"currency\": \"brl\"", with: "\"currency\": \"\(currency)\"")
            #expect(withCurrency != template)
            for _ in 0..<1_000 {
                let source = "\(UInt64.random(in: 0...9_999_999, using: &rng))"
                let body = try Self.replacingNumber(in: withCurrency, after: ["\"amount_total\": "], with: source)
                let written = try Self.writtenValue(.stripe, body: body, contentType: "application/json")
                #expect(written == Self.fromMinorUnits(source, places: places), "source \(source) \(currency)")
            }
        }
    }

    @Test("The two values the issue saw inexact")
    func issueExamples() throws {
        let hotmart = try SalesFixture.text(.hotmart, "purchase_approved.json")
        let stripe = try SalesFixture.text(.stripe, "checkout_session_completed_paid.json")
        #expect(try Self.writtenValue(.hotmart, body: Self.replacingNumber(in: hotmart, after: ["\"price\": {", "\"value\": "],
                                                                          with: "10.31"), contentType: "application/json") == "10.31")
        #expect(try Self.writtenValue(.stripe, body: Self.replacingNumber(in: stripe, after: ["\"amount_total\": "], with: "4999"),
                                      contentType: "application/json") == "49.99")
    }

    // MARK: - Helpers

    /// Parses the payload and returns the bytes of `custom_data.value` in the event JSON.
    static func writtenValue(_ gateway: Gateway, body: String, contentType: String) throws -> String {
        // A Mercado Pago notification only names the payment; the amount is in the payment fetched.
        let result = gateway == .mercadopago
            ? GatewayParser.parseMercadoPagoPayment(account: "main", json: body.salesBytes, receivedAt: salesReceivedAt)
            : parseSale(gateway, body: body.salesBytes, contentType: contentType)
        let c = try requireConversion(result)
        let event = CAPIEvent(eventName: .purchase, eventTime: 1_800_000_000, actionSource: .website,
                              userData: CAPIUserData(clientIpAddress: "203.0.113.7"),
                              customData: SaleEventDecision.customData(for: c))
        let json = String(decoding: try event.jsonData(), as: UTF8.self)
        guard let start = json.range(of: "\"value\":")?.upperBound,
              let end = json[start...].firstIndex(where: { $0 == "," || $0 == "}" })
        else { throw SalesTestFailure() }
        return String(json[start..<end])
    }

    /// Replaces the number literal that follows the anchors (found in order).
    static func replacingNumber(in text: String, after anchors: [String], with literal: String) throws -> String {
        var from = text.startIndex
        for anchor in anchors {
            guard let r = text.range(of: anchor, range: from..<text.endIndex) else { throw SalesTestFailure() }
            from = r.upperBound
        }
        let end = text[from...].firstIndex(where: { !($0.isNumber || $0 == "." || $0 == "-") }) ?? text.endIndex
        guard end > from else { throw SalesTestFailure() }
        return text.replacingCharacters(in: from..<end, with: literal)
    }

    /// "10.30" → "10.3", "7.00" → "7", "0.00" → "0": the same number, by text alone.
    static func canonical(_ decimal: String) -> String {
        guard decimal.contains(".") else { return decimal }
        var t = Substring(decimal)
        while t.last == "0" { t.removeLast() }
        if t.last == "." { t.removeLast() }
        var integer = t.prefix { $0 != "." }
        let rest = t.dropFirst(integer.count)
        while integer.count > 1, integer.first == "0" { integer.removeFirst() }
        return String(integer + rest)
    }

    /// "4999", 2 → "49.99"; "500", 0 → "500"; "7", 3 → "0.007" (canonical).
    static func fromMinorUnits(_ digits: String, places: Int) -> String {
        guard places > 0 else { return canonical(digits) }
        let padded = String(repeating: "0", count: max(0, places + 1 - digits.count)) + digits
        return canonical(String(padded.dropLast(places)) + "." + String(padded.suffix(places)))
    }
}
