import Foundation
public import TrackhubCore

/// Setup step 5: follows a tracking link (or a page of the funnel) like a click from an ad
/// does, hop by hop through the redirects, with a test `fbclid`, then reads the final page.
/// Every hop goes through the ``PageFetcher`` (which applies the ``PageFetchPolicy`` to the URL
/// and its resolved addresses); the walk stops at a gateway's checkout or a Telegram bot (their
/// pages, not the seller's), at the redirect cap, or when the time budget is spent. The verdict
/// is ``PageCheckReport/make(hops:end:body:fbclid:injectedClickID:trackhubHost:checkedAt:)``.
public struct LandingPageChecker: Sendable {
    let fetcher: any PageFetcher
    let policy: PageFetchPolicy

    public init(fetcher: any PageFetcher, policy: PageFetchPolicy) {
        self.fetcher = fetcher
        self.policy = policy
    }

    /// The test `fbclid`: Meta's are opaque base64url-ish strings; this one says what it is.
    public static func testFbclid() -> String { "TrackhubTeste_" + ClickID.generate() }

    /// Walks from `start`. A `/go` link on `trackhubHost` makes the click id itself; any other URL
    /// gets `fbclid` and a test click id in `th_cid` added, as `/go` would have sent it.
    public func check(start: String, trackhubHost: String?, fbclid: String = testFbclid()) async -> PageCheckReport {
        var injected: String?
        var url = start
        if PageCheckReport.isGoLink(start, trackhubHost: trackhubHost) {
            url = Self.adding([("fbclid", fbclid)], to: start)
        } else {
            let clickID = ClickID.generate()
            injected = clickID
            url = Self.adding([("fbclid", fbclid), ("th_cid", clickID), ("utm_source", "FB")], to: start)
        }
        let clock = ContinuousClock()
        let deadline = clock.now + policy.totalTimeout
        var hops: [(url: String, status: Int?, location: String?)] = []
        var body: [UInt8]?
        var end: PageCheckReport.End
        while true {
            if let name = Self.handoff(url) {
                hops.append((url, nil, nil))
                end = .handoff(name)
                break
            }
            guard hops.count <= policy.maxRedirects else { end = .tooManyRedirects; break }
            guard clock.now < deadline else { end = .failed(.timeout); break }
            switch await fetcher.fetch(url, policy: policy) {
            case .refused(let refusal):
                hops.append((url, nil, nil))
                end = .refused(refusal)
            case .failed(let failure):
                hops.append((url, nil, nil))
                end = .failed(failure)
            case .response(let status, let location, let bytes, let truncated):
                hops.append((url, status, location))
                if PageCheckReport.isRedirect(status), let location,
                   let next = URL(string: location, relativeTo: URL(string: url))?.absoluteString {
                    url = next
                    continue
                }
                body = bytes
                end = .page(status: status, truncated: truncated)
            }
            break
        }
        return PageCheckReport.make(hops: hops, end: end, body: body, fbclid: fbclid, injectedClickID: injected,
                                    trackhubHost: trackhubHost, checkedAt: Date().timeIntervalSince1970)
    }

    /// Where the seller's funnel hands over to someone else's page: a gateway's checkout, or Telegram.
    static func handoff(_ url: String) -> String? {
        guard let host = URLComponents(string: url)?.host?.lowercased() else { return nil }
        if host == "t.me" || host == "telegram.me" { return "Telegram" }
        return CheckoutHost.matching(host: host)?.gateway
    }

    /// `url` with `parameters` appended to its query (before any fragment), each value encoded.
    static func adding(_ parameters: [(String, String)], to url: String) -> String {
        var main = url
        var fragment = ""
        if let hash = url.firstIndex(of: "#") {
            main = String(url[..<hash])
            fragment = String(url[hash...])
        }
        var unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        unreserved.insert(charactersIn: "-._~")
        let query = parameters.map { name, value in
            name + "=" + (value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")
        }.joined(separator: "&")
        let separator = main.contains("?") ? (main.hasSuffix("?") || main.hasSuffix("&") ? "" : "&") : "?"
        return main + separator + query + fragment
    }
}
