public import TrackhubCore

/// One request of the landing-page check, behind a protocol so the checker's walk is tested
/// over an in-memory map and runs over libcurl (``CurlPageFetcher``) for real. An implementation
/// must apply ``PageFetchPolicy`` to the URL and to the addresses its host resolves to before
/// connecting, and must not follow redirects: the checker does, hop by hop.
public protocol PageFetcher: Sendable {
    func fetch(_ url: String, policy: PageFetchPolicy) async -> PageFetchOutcome
}

/// What one request of the page check produced.
public enum PageFetchOutcome: Sendable, Equatable {
    /// The policy refused the URL or the address it resolved to; nothing was sent.
    case refused(PageFetchPolicy.Refusal)
    /// No complete answer (DNS, connect, TLS, timeout).
    case failed(TransportFailure)
    /// An answer: the status, the `Location` header (as sent) and the body (cut at the cap).
    case response(status: Int, location: String?, body: [UInt8], truncated: Bool)
}
