public import TrackhubCore

/// ``PageFetcher`` over the console's ``CurlClientPool``: on a pool thread (never the
/// cooperative pool), checks the URL, resolves the host with the system resolver, checks every
/// address, then GETs with libcurl connected to the checked address only (no redirect
/// following, body capped, fresh connection). Sends a phone browser's `User-Agent` (ads traffic
/// is mostly mobile and some pages answer bots differently) with a `Trackhub-PageCheck` token, and
/// no cookies.
public struct CurlPageFetcher: PageFetcher {
    let http: CurlClientPool

    public init(http: CurlClientPool) {
        self.http = http
    }

    static let userAgent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        + "Chrome/131.0 Mobile Safari/537.36 Trackhub-PageCheck/1"

    public func fetch(_ url: String, policy: PageFetchPolicy) async -> PageFetchOutcome {
        let target: PageFetchPolicy.Target
        switch policy.check(url: url) {
        case .failure(let refusal): return .refused(refusal)
        case .success(let checked): target = checked
        }
        let outcome = await http.withClient { client -> PageFetchOutcome in
            let address: IPAddress
            switch policy.check(addresses: HostResolver.addresses(of: target.host)) {
            case .failure(let refusal): return .refused(refusal)
            case .success(let checked): address = checked
            }
            let answer = client.getPinned(
                url: url, host: target.host, port: target.port, connectTo: address,
                headers: ["User-Agent: " + Self.userAgent, "Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                          "Accept-Language: pt-BR,pt;q=0.9"],
                capturing: ["Location"], maxBytes: policy.maxBodyBytes, timeout: policy.hopTimeout,
                connectTimeout: min(policy.hopTimeout, .seconds(5)))
            switch answer.outcome {
            case .response(let status, let body, _):
                return .response(status: status, location: answer.headers["Location"], body: body, truncated: answer.truncated)
            case .failure(let kind, _, _):
                return .failed(kind)
            }
        }
        return outcome ?? .failed(.other)
    }
}
