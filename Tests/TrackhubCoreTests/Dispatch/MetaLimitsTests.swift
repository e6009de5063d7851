import Foundation
import Testing
@testable import TrackhubCore

@Suite("Meta's limits in one place")
struct MetaLimitsTests {
    @Test("validator, retry policy, request body and planner read the same limits")
    func oneSource() {
        let limits = MetaLimits.meta
        #expect(limits.eventMaxAge == .seconds(7 * 86_400) && limits.maxEventsPerRequest == 1000)
        #expect(CAPIEventValidator().maxEventAge == limits.eventMaxAge && CAPIEventValidator().expiryMargin == limits.expiryMargin)
        #expect(RetryPolicy().eventMaxAge == limits.eventMaxAge && RetryPolicy().safetyMargin == limits.retryMargin)
        #expect(CAPIRequestBody.maxEventsPerRequest == limits.maxEventsPerRequest && DeliveryPlanner().limits == limits)
    }

    @Test("an event is expired for sending (and for the DLQ admin) within the margin of the window's end")
    func expiry() {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let limits = MetaLimits.meta
        #expect(!limits.isExpired(eventTime: 1_790_000_000 - 7 * 86_400 + 301, now: now))
        #expect(limits.isExpired(eventTime: 1_790_000_000 - 7 * 86_400 + 299, now: now))
        // The validator agrees with the planner at the boundary.
        let event = CAPIEvent(eventName: .lead, eventTime: 1_790_000_000 - 7 * 86_400 + 299, actionSource: .systemGenerated,
                              userData: CAPIUserData(clientIpAddress: "10.0.0.1"))
        if case .expired = CAPIEventValidator().verdict(for: event, now: now) {} else { Issue.record("validator disagrees") }
    }
}
