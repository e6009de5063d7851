import Foundation
import Testing
@testable import TrackhubCore

/// Reasons (`.ignored`, `.malformed`) end up in `dispatchd status` and logs: they must never
/// carry the buyer's data.
@Suite struct SalesPrivacyTests {
    /// Objects that hold the buyer, in the gateways' payloads.
    static let buyerContainers: Set<String> = [
        "buyer", "customer", "customer_details", "billing_details", "payer", "comprador", "shipping", "evidence",
    ]

    /// Personal values of a payload: every string leaf (and long number) inside a buyer object.
    static func personalValues(_ gateway: Gateway, _ file: String) throws -> [String] {
        let bytes = try SalesFixture.bytes(gateway, file)
        var out: [String] = []
        if file.hasSuffix(".txt") {
            for (name, value) in QueryString.parse(bytes) where name.hasPrefix("comprador[") && value.count >= 4 {
                out.append(value)
            }
            return out
        }
        func walk(_ value: Any, personal: Bool) {
            if let dict = value as? [String: Any] {
                for (k, v) in dict { walk(v, personal: personal || buyerContainers.contains(k.lowercased())) }
            } else if let array = value as? [Any] {
                for v in array { walk(v, personal: personal) }
            } else if personal, let s = value as? String, s.count >= 4 {
                out.append(s)
            } else if personal, let n = value as? NSNumber, "\(n)".count >= 8 {
                out.append("\(n)")
            }
        }
        walk(try JSONSerialization.jsonObject(with: Data(bytes)), personal: false)
        return out
    }

    static func result(_ gateway: Gateway, _ file: String) throws -> ParseResult {
        let contentType = file.hasSuffix(".txt") ? "application/x-www-form-urlencoded" : "application/json"
        if gateway == .mercadopago, file.hasPrefix("payment_") {
            return GatewayParser.parseMercadoPagoPayment(account: "a", json: try SalesFixture.bytes(gateway, file))
        }
        return try parseFixture(gateway, file, contentType: contentType)
    }

    @Test(arguments: Gateway.payments)
    func reasonsNeverContainPayloadPersonalData(_ gateway: Gateway) throws {
        var checkedReasons = 0
        for file in try SalesFixture.names(gateway) {
            let result = try Self.result(gateway, file)
            guard let reason = result.reason else { continue }
            checkedReasons += 1
            #expect(!reason.contains("@"), "\(file): \(reason)")
            for value in try Self.personalValues(gateway, file) {
                #expect(!reason.contains(value), "\(file): reason leaks a personal value")
            }
        }
        #expect(checkedReasons >= 2, "each gateway has malformed or ignored fixtures")
    }

    @Test func everyFixtureParsesToSomething() throws {
        var counts: [String: Int] = [:]
        for gateway in Gateway.payments {
            for file in try SalesFixture.names(gateway) {
                switch try Self.result(gateway, file) {
                case .conversion: counts["conversion", default: 0] += 1
                case .ignored: counts["ignored", default: 0] += 1
                case .needsFetch: counts["needsFetch", default: 0] += 1
                case .malformed: counts["malformed", default: 0] += 1
                }
            }
        }
        #expect(counts["conversion", default: 0] >= 25)
        #expect(counts["malformed", default: 0] >= 10)
        #expect(counts["ignored", default: 0] >= 6)
        #expect(counts["needsFetch", default: 0] >= 1)
    }

    @Test func wrongTypedPersonalFieldsDoNotLeakIntoReasons() throws {
        // The transaction id replaced by the buyer's email: refused without echoing it.
        let body = try editedFixture(.hotmart, "purchase_approved.json") {
            setPath(&$0, ["data", "purchase", "transaction"], "mariana souza@cliente.test")
        }
        let result = parseSale(.hotmart, body: body)
        #expect(result == .malformed(reason: "transaction id (data.purchase.transaction) has an unusable format"))
        // An event type that is an email is reported as the event type, never in the reason.
        let event = try editedFixture(.kiwify, "order_approved.json") { $0["webhook_event_type"] = "rafael.nunes@cliente.test" }
        let ignored = parseSale(.kiwify, body: event)
        #expect(ignored.reason?.contains("@") == false)
    }

    @Test func fixturesUseNoRealLookingEmailDomains() throws {
        // Fake buyers only: every buyer email in the fixtures is at a reserved test domain.
        for gateway in Gateway.payments {
            for file in try SalesFixture.names(gateway) {
                for value in try Self.personalValues(gateway, file) where value.contains("@") && !value.contains("{") {
                    let domain = value.split(separator: "@").last.map { $0.lowercased().trimmingCharacters(in: .whitespaces) } ?? ""
                    #expect(domain.hasSuffix(".test") || domain.hasSuffix("example.com"), "\(file): \(domain)")
                }
            }
        }
    }
}
