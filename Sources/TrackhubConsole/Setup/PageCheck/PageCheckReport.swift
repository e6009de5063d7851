import Foundation
public import TrackhubCore

/// What the landing-page check (setup step 5) found, decided by the pure
/// ``make(hops:end:body:fbclid:injectedClickID:trackhubHost:checkedAt:)`` from the hops the
/// checker walked. Kept in the setup session (evidence only: URLs of the seller's own funnel
/// with the check's test ids, statuses, counts), so the page can show it again after a reload.
public struct PageCheckReport: Sendable, Equatable, Codable {
    /// One request of the walk.
    public struct Hop: Sendable, Equatable, Codable {
        /// The URL requested (cut to ``maxURLLength`` for display).
        public var url: String
        /// The HTTP status; nil when no answer came (or a checkout host where the walk stops).
        public var status: Int?
        /// The test `fbclid` is in this URL.
        public var fbclid: Bool
        /// The click id is in this URL.
        public var clickID: Bool
        /// This is Trackhub's own `/go` link.
        public var trackhub: Bool
    }

    /// The verdict, first problem first: each maps to a sentence and its fix on the page.
    public enum Outcome: String, Sendable, Equatable, Codable {
        /// The click id reaches the page and `/t.js` is on it (or it reaches the checkout).
        case ready
        /// An address the policy refuses (internal network, loopback, …).
        case refused
        /// No answer (DNS, connection, TLS, time).
        case unreachable
        /// `/go` did not redirect: ingestd does not know the link (yet).
        case linkNotFound = "link_not_found"
        /// The last page answered with an error status.
        case httpError = "http_error"
        /// More redirects than the policy follows.
        case tooManyRedirects = "too_many_redirects"
        /// A redirect dropped the click id.
        case clickLost = "click_lost"
        /// The page does not include `/t.js`.
        case scriptMissing = "script_missing"
    }

    /// How the walk ended, as the checker saw it.
    public enum End: Sendable, Equatable {
        /// A final answer (not a redirect).
        case page(status: Int, truncated: Bool)
        /// Stopped at a payment gateway's checkout or a Telegram bot, named (not fetched: the
        /// gateway's or Telegram's page, not the seller's).
        case handoff(String)
        case refused(PageFetchPolicy.Refusal)
        case failed(TransportFailure)
        case tooManyRedirects
    }

    public var outcome: Outcome
    public var hops: [Hop]
    public var refusal: PageFetchPolicy.Refusal?
    /// ``TransportFailure`` raw value when no answer came.
    public var failure: String?
    /// The hop that arrived without the click id (its predecessor's redirect dropped it).
    public var clickLostAt: Int?
    /// The hop that arrived without the test `fbclid` after a redirect of the seller's page.
    public var fbclidLostAt: Int?
    public var finalStatus: Int?
    /// The gateway whose checkout (or "Telegram", whose bot) the walk reached.
    public var checkoutGateway: String?
    /// The `/t.js` found on the final page.
    public var scriptURL: String?
    /// `/t.js` is loaded from a host that is not this installation's ingestd.
    public var scriptOtherHost: Bool
    /// Checkout links on the final page that `/t.js` will decorate.
    public var checkouts: [LandingPageScan.Found]
    /// The page was larger than the cap and only its beginning was read.
    public var truncated: Bool
    public var checkedAt: Double

    public var passed: Bool { outcome == .ready }

    static let maxURLLength = 300

    /// The verdict from the walk. `injectedClickID` is the test click id the checker added
    /// itself (a URL that is not a `/go` link); otherwise the click id is the one `/go`'s redirect
    /// carried. `trackhubHost` is ingestd's host (`/go` links and where `/t.js` should come from).
    public static func make(hops walked: [(url: String, status: Int?, location: String?)], end: End, body: [UInt8]?,
                            fbclid: String, injectedClickID: String?, trackhubHost: String?, checkedAt: Double) -> PageCheckReport {
        let clickID = injectedClickID ?? walked.lazy.compactMap { clickIDValue(in: $0.location) }.first
        var hops: [Hop] = walked.map { hop in
            Hop(url: String(hop.url.prefix(maxURLLength)), status: hop.status, fbclid: carries(hop.url, fbclid),
                clickID: clickID.map { carries(hop.url, $0) } ?? false, trackhub: isGoLink(hop.url, trackhubHost: trackhubHost))
        }
        // The /go hop carries no click id in its own URL: it creates it.
        for index in hops.indices where hops[index].trackhub { hops[index].clickID = clickID != nil && hops[index].status.map(isRedirect) == true }
        var report = PageCheckReport(outcome: .ready, hops: hops, refusal: nil, failure: nil, clickLostAt: nil, fbclidLostAt: nil,
                                     finalStatus: nil, checkoutGateway: nil, scriptURL: nil, scriptOtherHost: false, checkouts: [],
                                     truncated: false, checkedAt: checkedAt)
        for index in hops.indices.dropFirst() where hops[index - 1].clickID && !hops[index].clickID && !hops[index].trackhub {
            report.clickLostAt = index
            break
        }
        for index in hops.indices.dropFirst() where hops[index - 1].fbclid && !hops[index].fbclid && !hops[index - 1].trackhub {
            report.fbclidLostAt = index
            break
        }
        if let first = hops.first, first.trackhub, let status = first.status, !isRedirect(status) {
            report.outcome = .linkNotFound
            report.finalStatus = status
            return report
        }
        switch end {
        case .refused(let refusal):
            report.outcome = .refused
            report.refusal = refusal
            return report
        case .failed(let failure):
            report.outcome = .unreachable
            report.failure = failure.rawValue
            return report
        case .tooManyRedirects:
            report.outcome = .tooManyRedirects
            return report
        case .handoff(let name):
            report.checkoutGateway = name
            report.outcome = report.clickLostAt != nil || hops.last?.clickID != true ? .clickLost : .ready
            return report
        case .page(let status, let truncated):
            report.finalStatus = status
            report.truncated = truncated
            guard (200...299).contains(status) else {
                report.outcome = .httpError
                return report
            }
        }
        let lastURL = walked.last?.url ?? ""
        let scan = LandingPageScan.scan(html: body ?? [], pageURL: lastURL)
        report.scriptURL = scan.scriptURL.map { String($0.prefix(maxURLLength)) }
        report.checkouts = scan.checkouts
        if let script = scan.scriptURL, let trackhubHost {
            report.scriptOtherHost = URL(string: script)?.host?.lowercased() != trackhubHost.lowercased()
        }
        if report.clickLostAt != nil || hops.last?.clickID != true {
            report.outcome = .clickLost
        } else if scan.scriptURL == nil {
            report.outcome = .scriptMissing
        }
        return report
    }

    static func isRedirect(_ status: Int) -> Bool { [301, 302, 303, 307, 308].contains(status) }

    /// `/go/…` on ingestd's host.
    static func isGoLink(_ url: String, trackhubHost: String?) -> Bool {
        guard let trackhubHost, let components = URLComponents(string: url) else { return false }
        return components.host?.lowercased() == trackhubHost.lowercased() && components.path.hasPrefix("/go/")
    }

    /// `value` appears as (part of) a query parameter's value: `/t.js` and gateways accept the
    /// click id inside a longer value (`bio_<id>`), so containment is what survives means.
    static func carries(_ url: String, _ value: String) -> Bool {
        guard !value.isEmpty, let items = URLComponents(string: url)?.queryItems else { return false }
        return items.contains { $0.value?.contains(value) == true }
    }

    /// The click id a `/go` redirect put in its `Location`: a query value that is a click id.
    static func clickIDValue(in location: String?) -> String? {
        guard let location, let items = URLComponents(string: location)?.queryItems else { return nil }
        for item in items {
            guard let value = item.value else { continue }
            if ClickID.isValid(value) { return value }
            if value.count > 26, ClickID.isValid(value.suffix(26)) { return String(value.suffix(26)) }
        }
        return nil
    }
}
