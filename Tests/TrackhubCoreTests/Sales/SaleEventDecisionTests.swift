import Foundation
import Testing
@testable import TrackhubCore

@Suite("sale decisions: which event a conversion becomes, what its click lends, hold, validation")
struct SaleEventDecisionTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let decision = SaleEventDecision(validator: CAPIEventValidator(), lateClickHold: .seconds(600))
    let pixel = DispatchConfig.Pixel(id: "p1", tenant: "t1", accessToken: "T", mode: .live)

    func sale(status: ConversionStatus = .approved, occurredAt: Date? = nil, isTest: Bool = false, settings: [String: ConfigValue] = [:],
              pixel: DispatchConfig.Pixel?? = nil) -> SalesProcessor.PreparedSale {
        let c = Conversion(gateway: .hotmart, account: "acc", transactionID: "HP1", status: status, rawEventType: "PURCHASE_APPROVED",
                           value: Decimal(string: "297.9")!, currency: "BRL", ip: "10.9.8.7", occurredAt: occurredAt ?? now.addingTimeInterval(-60), isTest: isTest)
        let envelope = Envelope(id: "env-sale", kind: .webhook, receivedAt: 1_790_000_000_000, tenant: "t1")
        return SalesProcessor.PreparedSale(envelope: envelope, conversion: c,
                                           account: DispatchConfig.GatewayAccount(gateway: .hotmart, account: "acc", tenant: "t1", pixel: "p1",
                                                                                  settings: settings),
                                           tenant: "t1", hashed: HashedUserData(em: [String(repeating: "a", count: 64)]), buyerJSON: "{}",
                                           pixel: pixel ?? self.pixel)
    }

    let click = ClickContext(clickID: "01JD0000000000000000000001", fbc: "fb.1.1789999999000.abc", fbp: nil, ip: "177.20.30.40",
                             userAgent: "UA/1", occurredAt: Date(timeIntervalSince1970: 1_789_999_000), touchpointID: 4,
                             pageURL: "https://lp.example.com/o?fbclid=abc", tenant: "t1")

    @Test("an approved sale matched to its click: one Purchase with the click's fields, website, the gateway's event id")
    func matched() throws {
        let found = SaleMatcher.Result(match: SaleMatcher.Match(context: click, method: "click_id", score: 1))
        guard case .send(let e) = decision.decide(sale(), conversionID: 7, found: found, now: now) else { Issue.record("not sent"); return }
        #expect(e.eventName == "Purchase" && e.eventID == sale().conversion.purchaseEventID && e.conversionID == 7 && e.hold == nil)
        #expect(e.event.userData.fbc == click.fbc && e.event.userData.clientIpAddress == "177.20.30.40")
        #expect(e.event.actionSource == .website && e.event.eventSourceUrl == "https://lp.example.com/o")
        #expect(e.event.customData?.value == 297.9 && e.event.customData?.currency == "BRL")
    }

    @Test("unmatched: the buyer's own IP, system_generated; a pending click id holds it until the deadline")
    func unmatchedAndHeld() {
        guard case .send(let plain) = decision.decide(sale(), conversionID: 7, found: SaleMatcher.Result(), now: now) else { Issue.record("x"); return }
        #expect(plain.event.actionSource == .systemGenerated && plain.event.userData.clientIpAddress == "10.9.8.7" && plain.hold == nil)
        let pending = SaleMatcher.Result(pendingClickIDs: ["01JD0000000000000000000009"])
        guard case .send(let held) = decision.decide(sale(), conversionID: 7, found: pending, now: now) else { Issue.record("x"); return }
        #expect(held.hold == LateClickHold(tenant: "t1", clickIDs: ["01JD0000000000000000000009"], deadlineMs: 1_790_000_600_000,
                                           sinceMs: 1_790_000_000_000))
    }

    @Test("statuses without an event, a test delivery for a live pixel, no pixel, and an expired sale")
    func otherOutcomes() {
        let none = SaleMatcher.Result()
        if case .noEvent = decision.decide(sale(status: .canceled), conversionID: 1, found: none, now: now) {} else { Issue.record("canceled") }
        if case .noEvent = decision.decide(sale(status: .refunded), conversionID: 1, found: none, now: now) {} else { Issue.record("refund") }
        if case .send(let e) = decision.decide(sale(status: .refunded, settings: ["refund_event": .string("Refund")]), conversionID: 1, found: none, now: now) {
            #expect(e.eventName == "Refund")
        } else { Issue.record("mapped refund") }
        if case .testDelivery = decision.decide(sale(isTest: true), conversionID: 1, found: none, now: now) {} else { Issue.record("test") }
        if case .noPixel(let d) = decision.decide(sale(pixel: .some(nil)), conversionID: 1, found: none, now: now) {
            #expect(d.reason == .noPixel)
        } else { Issue.record("no pixel") }
        let old = sale(occurredAt: now.addingTimeInterval(-8 * 86_400))
        if case .expired(_, let d) = decision.decide(old, conversionID: 1, found: none, now: now) {
            #expect(d.reason == .expired)
        } else { Issue.record("expired") }
    }

    @Test("the matcher takes a click id only from the sale's tenant; an id stored for another tenant is not pending")
    func pending() {
        let m = SaleMatcher(window: 7 * 86_400, scoreThreshold: 0.7)
        let id = ClickID.generate(now: now.addingTimeInterval(-30))
        #expect(m.pendingClickIDs([id], saleTime: now, stored: []) == [id])
        #expect(m.pendingClickIDs([id], saleTime: now, stored: [id]).isEmpty)
        #expect(m.pendingClickIDs(["not-a-click-id"], saleTime: now, stored: []).isEmpty)
    }
}
