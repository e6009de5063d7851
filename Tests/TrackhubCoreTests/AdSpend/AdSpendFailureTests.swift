import Foundation
import Testing
@testable import TrackhubCore

@Suite("Ad spend: what Meta's errors mean for an import, and when to try again")
struct AdSpendFailureTests {
    static func failure(status: Int = 400, code: Int, subcode: Int? = nil, message: String = "m") -> MetaFailure {
        MetaFailure(class: MetaResponseClassifier.classify(httpStatus: status, code: code, subcode: subcode, isTransient: nil),
                    httpStatus: status, code: code, subcode: subcode, message: message)
    }

    @Test("the CAPI classification decides: 190 stops the account until the token changes; 4/17/32/613/80000 back off; #200 is permission")
    func classes() {
        let token = "EAAG-secret-token-value"
        let refused = AdSpendFailure.of(Self.failure(code: 190, subcode: 463), token: token)
        #expect(refused.kind == .token && refused.message.contains("code 190/463") && !refused.message.contains(token))
        #expect(refused.message.contains(PixelControl.tokenMarker(token)))
        #expect(AdSpendFailure.refused(token: token, lastError: refused.message))
        #expect(!AdSpendFailure.refused(token: "EAAG-new-token", lastError: refused.message))
        #expect(!AdSpendFailure.refused(token: token, lastError: nil))
        for code in [4, 17, 32, 613, 80_000] {
            let f = AdSpendFailure.of(Self.failure(code: code), token: token, retryAfter: .seconds(300))
            #expect(f.kind == .throttled && f.retryAfter == .seconds(300) && f.appWide == (code == 4))
        }
        #expect(AdSpendFailure.of(Self.failure(code: 200), token: token).kind == .permission)
        #expect(AdSpendFailure.of(Self.failure(code: 10), token: token).kind == .permission)
        #expect(AdSpendFailure.of(Self.failure(status: 500, code: 2), token: token).kind == .transient)
        #expect(AdSpendFailure.of(Self.failure(code: 100), token: token).kind == .invalid)
        #expect(AdSpendFailure.noToken(.none).kind == .noToken && AdSpendFailure.noToken(.own).message.contains("key"))
    }

    @Test("after a success the interval; transient failures double from the base; throttling starts at 5× and honours Meta's estimate")
    func delays() {
        let hour = Duration.seconds(3600), base = Duration.seconds(60)
        func delay(_ kind: AdSpendFailure.Kind?, _ streak: Int, retryAfter: Duration? = nil) -> Duration {
            AdSpendSchedule.delay(after: kind.map { AdSpendFailure(kind: $0, message: "", retryAfter: retryAfter) }, streak: streak,
                                  interval: hour, retryBase: base)
        }
        #expect(delay(nil, 0) == hour)
        #expect(delay(.transient, 1) == .seconds(60) && delay(.transient, 2) == .seconds(120) && delay(.transient, 9) == hour)
        #expect(delay(.throttled, 1) == .seconds(300) && delay(.throttled, 2) == .seconds(600) && delay(.throttled, 5) == hour)
        #expect(delay(.throttled, 1, retryAfter: .seconds(1800)) == .seconds(1800))
        #expect(delay(.permission, 1) == hour && delay(.invalid, 3) == hour)
        #expect(delay(.token, 7) == base && delay(.noToken, 1) == base)
    }

    @Test("the schedule: every account is due at first; a success waits the interval; code 4 pauses every account")
    func schedule() {
        var s = AdSpendSchedule(interval: .seconds(3600))
        let t0 = Date(timeIntervalSince1970: 1_796_000_000)
        #expect(s.isDue(tenant: "a", account: "act_1", now: t0))
        s.record(AdSpendResult(tenant: "a", account: "act_1", outcome: .imported(rows: [:], days: [])), now: t0)
        #expect(!s.isDue(tenant: "a", account: "act_1", now: t0 + 3599) && s.isDue(tenant: "a", account: "act_1", now: t0 + 3600))
        #expect(s.isDue(tenant: "a", account: "act_2", now: t0))
        s.record(AdSpendResult(tenant: "a", account: "act_2", outcome: .failed(AdSpendFailure(kind: .throttled, message: "", appWide: true))), now: t0)
        #expect(!s.isDue(tenant: "b", account: "act_9", now: t0 + 299) && s.isDue(tenant: "b", account: "act_9", now: t0 + 300))
    }
}
