import Foundation
import Testing
@testable import TrackhubCore

@Suite("scored matching (IP, user agent, time)")
struct ScoredMatcherTests {
    let sale = Date(timeIntervalSince1970: 1_760_000_000)
    let window: TimeInterval = 7 * 86_400
    let ua = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36"

    func candidate(_ id: Int64, ip: String?, ua: String?, minutesBefore: Double) -> ScoredMatcher.Candidate {
        .init(id: id, ip: ip, userAgent: ua, occurredAt: sale.addingTimeInterval(-minutesBefore * 60))
    }

    @Test("each signal's points, and time decaying linearly across the window")
    func points() {
        let m = ScoredMatcher(window: window)
        let s = ScoredMatcher.Sale(ip: "177.20.30.40", userAgent: ua, occurredAt: sale)
        #expect(m.score(candidate(1, ip: "177.20.30.40", ua: ua, minutesBefore: 0), for: s) == 1.0)
        #expect(m.score(candidate(1, ip: "177.20.30.40", ua: nil, minutesBefore: 0), for: s) == 0.75)
        #expect(m.score(candidate(1, ip: "177.20.30.99", ua: nil, minutesBefore: 0), for: s) == 0.45)
        #expect(m.score(candidate(1, ip: "177.20.31.40", ua: ua, minutesBefore: 0), for: s) == 0.4)
        // Half the window: half the time points.
        #expect(m.score(candidate(1, ip: "177.20.30.40", ua: nil, minutesBefore: window / 120), for: s) == 0.675)
        // Outside the window, or clearly after the sale: nothing.
        #expect(m.score(candidate(1, ip: "177.20.30.40", ua: ua, minutesBefore: window / 60 + 1), for: s) == 0)
        #expect(m.score(candidate(1, ip: "177.20.30.40", ua: ua, minutesBefore: -10), for: s) == 0)
        // A few minutes of clock skew is tolerated.
        #expect(m.score(candidate(1, ip: "177.20.30.40", ua: ua, minutesBefore: -2), for: s) == 1.0)
    }

    @Test("IPv6 compares /64 networks; IPv4-mapped addresses equal their IPv4 form")
    func ipv6() {
        let m = ScoredMatcher(window: window)
        let s = ScoredMatcher.Sale(ip: "2804:14c:5b80:8a1f::1", userAgent: nil, occurredAt: sale)
        #expect(m.score(candidate(1, ip: "2804:14c:5b80:8a1f:0:0:0:1", ua: nil, minutesBefore: 0), for: s) == 0.75)
        #expect(m.score(candidate(1, ip: "2804:14c:5b80:8a1f:abcd::2", ua: nil, minutesBefore: 0), for: s) == 0.45)
        #expect(m.score(candidate(1, ip: "2804:14c:5b80:8a20::1", ua: nil, minutesBefore: 0), for: s) == 0.15)
        #expect(IPAddress(lenient: "::ffff:10.1.2.3") == IPAddress(lenient: "10.1.2.3"))
        #expect(IPAddress(lenient: "not-an-ip") == nil)
        #expect(IPAddress(lenient: " fe80::1%eth0 ") == IPAddress("fe80::1"))
        #expect(IPAddress(lenient: "10.1.2.3")?.networkPrefixLength == 24 && IPAddress(lenient: "2804::1")?.networkPrefixLength == 64)
        #expect(IPAddress(lenient: "unknown")?.networkPrefixLength == nil)
        // Families never share a network, though IPv4 lives in the IPv6 space (::ffff:0:0/96).
        #expect(!IPAddress("::1")!.isInSameNetwork(as: IPAddress("10.1.2.3")!))
        #expect(IPAddress("10.1.2.3")!.isInSameNetwork(as: IPAddress("10.1.2.250")!))
        #expect(!IPAddress("10.1.2.3")!.isInSameNetwork(as: IPAddress("10.1.3.3")!))
    }

    @Test("the default threshold: same IP and recent matches; a neighbour needs the user agent; a user agent alone never")
    func threshold() {
        let m = ScoredMatcher(window: window)
        let s = ScoredMatcher.Sale(ip: "177.20.30.40", userAgent: ua, occurredAt: sale)
        #expect(m.verdict([candidate(7, ip: "177.20.30.40", ua: nil, minutesBefore: 30)], for: s) == .matched(candidateID: 7, score: 0.75))
        #expect(m.verdict([candidate(7, ip: "177.20.30.40", ua: nil, minutesBefore: 6 * 24 * 60)], for: s) == .belowThreshold(best: 0.621))
        #expect(m.verdict([candidate(7, ip: "177.20.30.41", ua: ua, minutesBefore: 10)], for: s) == .matched(candidateID: 7, score: 0.7))
        #expect(m.verdict([candidate(7, ip: "10.0.0.1", ua: ua, minutesBefore: 1)], for: s) == .belowThreshold(best: 0.4))
        #expect(m.verdict([], for: s) == .belowThreshold(best: 0))
    }

    @Test("two different clicks scoring alike are ambiguous: neither is used")
    func ambiguity() {
        let m = ScoredMatcher(window: window)
        let s = ScoredMatcher.Sale(ip: "177.20.30.40", userAgent: nil, occurredAt: sale)
        let tied = [candidate(1, ip: "177.20.30.40", ua: nil, minutesBefore: 5), candidate(2, ip: "177.20.30.40", ua: nil, minutesBefore: 9)]
        #expect(m.verdict(tied, for: s) == .ambiguous(best: 0.75))
        // The same click listed twice is not a tie; a clearly better one wins.
        let clear = [candidate(1, ip: "177.20.30.40", ua: ua, minutesBefore: 5), candidate(2, ip: "177.20.30.40", ua: nil, minutesBefore: 5)]
        let withUA = ScoredMatcher.Sale(ip: "177.20.30.40", userAgent: ua, occurredAt: sale)
        #expect(m.verdict(clear, for: withUA) == .matched(candidateID: 1, score: 1.0))
        // A stricter threshold turns the same evidence down.
        #expect(ScoredMatcher(window: window, threshold: 0.9).verdict([candidate(1, ip: "177.20.30.40", ua: nil, minutesBefore: 5)], for: s)
                == .belowThreshold(best: 0.75))
    }
}
