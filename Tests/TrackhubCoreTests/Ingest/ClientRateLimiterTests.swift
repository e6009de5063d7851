import Testing
@testable import TrackhubCore

/// Admission control per client address (issue 14), with time as a value: no test waits.
@Suite("TokenBucket and ClientRateLimiter")
struct ClientRateLimiterTests {
    @Test("a full bucket admits burst requests at once, then one per 1/rate seconds; Retry-After says when")
    func bucket() {
        var b = TokenBucket.full(burst: 4, now: 0)
        for _ in 0..<4 {
            let (next, wait) = b.take(now: 0, rate: 2, burst: 4)
            #expect(wait == nil)
            b = next
        }
        let (refused, wait) = b.take(now: 0, rate: 2, burst: 4)
        #expect(wait == 0.5)
        #expect(refused.take(now: 0.25, rate: 2, burst: 4).retryAfter == 0.25)
        #expect(refused.take(now: 0.5, rate: 2, burst: 4).retryAfter == nil)
        #expect(refused.take(now: 100, rate: 2, burst: 4).bucket.tokens == 3)  // capped at burst, one taken
        #expect(refused.isFull(now: 2, rate: 2, burst: 4) && !refused.isFull(now: 1, rate: 2, burst: 4))
    }

    @Test("one address over its rate is refused; another address is not affected; Retry-After at least 1 s")
    func perClient() {
        let limiter = ClientRateLimiter(rate: 5)
        let admitted = (0..<30).filter { _ in limiter.admit("203.0.113.7", now: 0) == nil }.count
        #expect(admitted == 10)  // the burst: twice the rate
        #expect(limiter.admit("203.0.113.7", now: 0) == 1)
        #expect((0..<10).allSatisfy { _ in limiter.admit("198.51.100.2", now: 0) == nil })
        #expect(limiter.admit("203.0.113.7", now: 0.2) == nil)  // one token back after 1/rate s
    }

    @Test("the table stays bounded: idle clients are dropped first, and a flood of addresses never refuses a new one")
    func bounded() {
        let limiter = ClientRateLimiter(rate: 1, maxClients: 100)
        for i in 0..<100 { _ = limiter.admit("10.0.0.\(i)", now: 0) }
        #expect(limiter.clientCount == 100)
        #expect(limiter.admit("10.0.1.1", now: 10) == nil)  // the others are full again: dropped
        #expect(limiter.clientCount == 1)
        for i in 0..<500 { #expect(limiter.admit("10.1.\(i / 250).\(i % 250)", now: 10) == nil) }
        #expect(limiter.clientCount <= 100)
    }
}
