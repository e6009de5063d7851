public import Foundation

/// ``AdInsightsSource`` over libcurl (``CurlClientPool`` threads, off the cooperative pool):
/// the token in the `Authorization` header, the throttling headers captured
/// (``ThrottleHint``).
public struct CurlAdInsightsSource: AdInsightsSource {
    let http: CurlClientPool
    let timeout: Duration
    let connectTimeout: Duration

    /// Insights reads are slower than CAPI posts (Meta aggregates on the fly): a longer
    /// timeout than the sender's 1.5 s.
    public init(http: CurlClientPool, timeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(5)) {
        self.http = http
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }

    public func page(url: String, token: String) async -> AdInsightsResponse {
        let (outcome, headers) = await http.get(url: url, headers: ["Authorization: Bearer " + token],
                                                capturing: ThrottleHint.headerNames, timeout: timeout, connectTimeout: connectTimeout)
        let hint = ThrottleHint.wait(retryAfter: headers["retry-after"], businessUseCaseUsage: headers["x-business-use-case-usage"], now: Date())
        return AdInsightsResponse(outcome: CurlCAPITransport.transport(outcome), throttleHint: hint, latency: outcome.latency)
    }
}
