import Foundation
import Testing
@testable import TrackhubCore

@Suite("late-click recheck: patch typed fields, re-validate, or wait")
struct LateClickRecheckTests {
    let recheck = LateClickRecheck(validator: CAPIEventValidator(), recheck: .seconds(5))
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let clickID = "01JD0000000000000000000001"

    func held(deadlineMs: Int64 = 1_790_000_600_000) -> OutboundEvent {
        var e = OutboundEvent(pixel: "p1", envelopeID: "env-sale", conversionID: 3,
                              event: CAPIEvent(eventName: .purchase, eventTime: 1_789_999_990, eventId: "hotmart.HP1", actionSource: .systemGenerated,
                                               userData: CAPIUserData(clientIpAddress: "10.9.8.7"),
                                               customData: CAPICustomData(value: 10, currency: "BRL")))
        e.hold = LateClickHold(tenant: "t1", clickIDs: [clickID], deadlineMs: deadlineMs, sinceMs: 1_789_999_990_000)
        return e
    }

    func click(tenant: String, fbc: String = "fb.1.1789999999000.abc") -> ClickContext {
        ClickContext(clickID: clickID, fbc: fbc, fbp: nil, ip: "177.20.30.40", userAgent: "UA/1", occurredAt: now, touchpointID: 9,
                     pageURL: "https://lp.example.com/o?x=1", tenant: tenant)
    }

    @Test("the tenant's click patches the event's fields; the hold is cleared")
    func matched() {
        guard case .matched(let e, let c) = recheck.decide(held(), clicks: [clickID: [click(tenant: "t1")]], now: now) else {
            Issue.record("not matched"); return
        }
        #expect(c.touchpointID == 9 && e.hold == nil && e.event.userData.fbc == "fb.1.1789999999000.abc")
        #expect(e.event.actionSource == .website && e.event.eventSourceUrl == "https://lp.example.com/o" && e.event.customData?.value == 10)
    }

    @Test("a patch the validator refuses releases the event as first built")
    func refused() {
        let verdict = recheck.decide(held(), clicks: [clickID: [click(tenant: "t1", fbc: "garbage")]], now: now)
        guard case .patchRefused(let e, _, let violations) = verdict else { Issue.record("\(verdict)"); return }
        #expect(e.event == held().event && e.hold == nil && violations.contains("fbc"))
    }

    @Test("another tenant's click: released unpatched; not stored yet: waits; past the deadline: released")
    func others() {
        #expect(recheck.decide(held(), clicks: [clickID: [click(tenant: "t2")]], now: now)
            == .notFound({ var e = held(); e.hold = nil; return e }(), reason: "click belongs to another tenant"))
        #expect(recheck.decide(held(), clicks: [:], now: now) == .wait(held(), dueMs: 1_790_000_005_000))
        #expect(recheck.decide(held(deadlineMs: 1_790_000_002_000), clicks: [:], now: now) == .wait(held(deadlineMs: 1_790_000_002_000), dueMs: 1_790_000_002_000))
        guard case .notFound(_, let reason) = recheck.decide(held(deadlineMs: 1), clicks: [:], now: now) else { Issue.record("waited"); return }
        #expect(reason == "hold deadline passed")
    }
}
