import Foundation
import Testing
@testable import TrackhubCore

/// Consent for sales (issue 18, item 4): the pure decision, what a sale becomes under it, and
/// the tenant's policy in the one config model.
@Suite("sale consent: policy, the sale's and the click's signals")
struct SaleConsentTests {
    @Test("th_consent in the payment's metadata: the usual spellings, anything else is no signal")
    func metadataSignal() {
        for yes in ["1", "true", "YES", " sim ", "granted"] { #expect(SaleConsent.signal(metadata: ["th_consent": yes]) == .granted, "\(yes)") }
        for no in ["0", "false", "No", "não", "nao", "denied", "declined"] { #expect(SaleConsent.signal(metadata: ["th_consent": no]) == .declined, "\(no)") }
        #expect(SaleConsent.signal(metadata: ["th_consent": "maybe"]) == nil)
        #expect(SaleConsent.signal(metadata: ["other": "1"]) == nil)
    }

    @Test("the sale's own signal wins; then the click's decline; then the policy")
    func decisions() {
        typealias C = SaleConsent
        for policy in SaleConsentPolicy.allCases {
            #expect(C.decide(policy: policy, sale: .granted, clickDeclined: true) == .send, "\(policy): granted wins over the click")
            if case .blocked = C.decide(policy: policy, sale: .declined, clickDeclined: false) {} else { Issue.record("\(policy): declined sent") }
            if case .blocked = C.decide(policy: policy, sale: nil, clickDeclined: true) {} else { Issue.record("\(policy): click decline sent") }
        }
        #expect(C.decide(policy: .honorDecline, sale: nil, clickDeclined: false) == .send)
        guard case .blocked(let reason) = C.decide(policy: .requireGrant, sale: nil, clickDeclined: false) else {
            Issue.record("require_grant without a signal was sent"); return
        }
        #expect(reason.contains("require_grant"))
    }

    @Test("a sale under a blocking signal becomes consent_blocked (built like the sent one, never sent); an allowed one is sent")
    func saleDecision() {
        let decision = SaleEventDecision(validator: CAPIEventValidator(), lateClickHold: .seconds(600))
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        func sale(metadata: [String: String]) -> SalesProcessor.PreparedSale {
            var c = Conversion(gateway: .stripe, account: "acc", transactionID: "pi_1", status: .approved, rawEventType: "checkout.session.completed",
                               value: 197, currency: "BRL", ip: "10.9.8.7", occurredAt: now.addingTimeInterval(-60), isTest: false)
            c.tracking.metadata = metadata
            return SalesProcessor.PreparedSale(
                envelope: Envelope(id: "env-sale", kind: .webhook, receivedAt: 1_790_000_000_000, tenant: "t1"), conversion: c,
                account: DispatchConfig.GatewayAccount(gateway: .stripe, account: "acc", tenant: "t1", pixel: "p1", settings: [:]),
                tenant: "t1", hashed: HashedUserData(em: [String(repeating: "a", count: 64)]), buyerJSON: "{}",
                pixel: DispatchConfig.Pixel(id: "p1", tenant: "t1", accessToken: "T", mode: .live))
        }
        guard case .consentBlocked(let e, let reason) = decision.decide(sale(metadata: ["th_consent": "0"]), conversionID: 3,
                                                                       found: SaleMatcher.Result(), now: now) else {
            Issue.record("th_consent=0 was not blocked"); return
        }
        #expect(e.eventName == "Purchase" && e.conversionID == 3 && reason.contains("th_consent"))
        if case .consentBlocked = decision.decide(sale(metadata: [:]), conversionID: 3, found: SaleMatcher.Result(), now: now,
                                                  consent: .requireGrant) {} else { Issue.record("require_grant without a signal sent") }
        if case .send = decision.decide(sale(metadata: ["th_consent": "1"]), conversionID: 3, found: SaleMatcher.Result(), now: now,
                                        consent: .requireGrant) {} else { Issue.record("a granted sale was not sent") }
        if case .consentBlocked = decision.decide(sale(metadata: [:]), conversionID: 3, found: SaleMatcher.Result(), now: now,
                                                  clickDeclined: true) {} else { Issue.record("the click's decline was ignored") }
        let ledger = SalesProcessor.Outcome(consentBlocked: [(e, reason)]).ledger
        #expect(ledger.map(\.outcome) == [.consentBlocked] && ledger.first?.metaMessage == reason)
    }

    @Test("tenants[].sale_consent: the two policies, honor_decline by default, anything else refused with the path")
    func configuration() throws {
        func resolve(_ line: String) throws -> (problems: [String], policy: SaleConsentPolicy?) {
            let file = try TrackhubConfigFile.parse(yaml: "tenants:\n  - id: shop\n\(line)    pixels: [{id: \"1\", token_env: T}]\n")
            let problems = file.validate(environment: ["T": "t"]).filter { $0.severity == .error }.map(\.path)
            let policy = problems.isEmpty ? try ConfigApplier.resolve(file, environment: ["T": "t"]).configuration.tenants[0].saleConsent : nil
            return (problems, policy)
        }
        #expect(try resolve("").policy == .honorDecline)
        #expect(try resolve("    sale_consent: require_grant\n").policy == .requireGrant)
        #expect(try resolve("    sale_consent: always\n").problems == ["tenants[0].sale_consent"])
    }
}
