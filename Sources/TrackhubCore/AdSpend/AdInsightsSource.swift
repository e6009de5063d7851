public import Foundation

/// Where insights pages come from: one `GET` of a full insights URL with a token. Behind a
/// protocol so the importer's shell is the same over libcurl (``CurlAdInsightsSource``) and
/// over anything a test serves.
public protocol AdInsightsSource: Sendable {
    /// Fetches `url` with `token` in the `Authorization` header (never in the URL).
    func page(url: String, token: String) async -> AdInsightsResponse
}

/// What one page request produced: Meta's answer (classified like the CAPI sender's) and
/// Meta's own estimate of when a throttled caller may call again.
public struct AdInsightsResponse: Sendable {
    public var outcome: MetaTransportOutcome
    public var throttleHint: Duration?
    public var latency: Duration

    public init(outcome: MetaTransportOutcome, throttleHint: Duration? = nil, latency: Duration = .zero) {
        self.outcome = outcome
        self.throttleHint = throttleHint
        self.latency = latency
    }
}
