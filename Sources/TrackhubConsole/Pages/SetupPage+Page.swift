import Foundation
import Hummingbird
import Logging
import TrackhubCore

/// Step 5, the landing-page check: Trackhub follows the tracking link of step 4 (or another page
/// of the funnel the seller pastes) like a click from an ad, with a test `fbclid`, hop by hop
/// (``LandingPageChecker`` under the console's ``PageFetchPolicy``), and says in the seller's
/// words whether the click id survives each redirect and whether `/t.js` is on the final page
/// and which checkout links it will mark — with the fix when not. A check changes no
/// configuration; its report is kept in the setup session as evidence.
extension SetupPage {
    func registerPage(on router: Router<ConsoleRequestContext>) {
        router.post("/setup/page") { _, context in try await checkPage(context) }
    }

    /// The longest URL the seller may paste (browsers and proxies cut around 8 KB; funnels are short).
    static let maxPageURLLength = 2048

    func checkPage(_ context: ConsoleRequestContext) async throws -> Response {
        let form = context.form
        let tenantID = form.trimmed("tenant")
        let user = try context.requireUser(.configure, tenant: tenantID)
        guard var state = try await deps.setup.open(tenant: tenantID)?.state, state.linkAt != nil, let slug = state.linkSlug else {
            return ConsoleRenderer.redirect("/setup?tenant=" + tenantID)
        }
        let adsURL = SetupGateways.adsURL(ingest: deps.configuration.ingestURL, slug: slug)
        let typed = form.trimmed("url")
        let start = typed.isEmpty ? adsURL : typed
        guard start.utf8.count <= Self.maxPageURLLength, !start.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            return try await show(context, tenant: tenantID, error: text("setup_error_page_url", context), typed: ["page_url": typed],
                                  status: .unprocessableContent)
        }
        if case .failure(let refusal) = deps.pageChecker.policy.check(url: start),
           refusal == .notWebAddress || refusal == .credentials {
            return try await show(context, tenant: tenantID, error: text("page_refused_" + refusal.rawValue, context, ""),
                                  typed: ["page_url": typed], status: .unprocessableContent)
        }
        let trackhubHost = URLComponents(string: deps.configuration.ingestURL)?.host
        let report = await deps.pageChecker.check(start: start, trackhubHost: trackhubHost)
        state.pageCheck = report
        if report.passed { state.pageCheckedAt = report.checkedAt }
        let session = try await deps.setup.save(tenant: tenantID, userID: user.id, state: state)
        var detail = ["outcome": report.outcome.rawValue, "hops": String(report.hops.count),
                      "start": String(start.prefix(PageCheckReport.maxURLLength))]
        if let status = report.finalStatus { detail["status"] = String(status) }
        if let refusal = report.refusal { detail["refusal"] = refusal.rawValue }
        if let failure = report.failure { detail["failure"] = failure }
        if let script = report.scriptURL { detail["script"] = script }
        try await deps.setup.action(session: session, step: 5, action: "page.check", outcome: report.outcome.rawValue, detail: detail)
        try await deps.setup.message(session: session, author: "assistant", step: 5, verdict(report, context).text)
        deps.logger.info("setup page checked", metadata: [
            LogKey.tenant: "\(tenantID)", "page.outcome": "\(report.outcome.rawValue)", "page.hops": "\(report.hops.count)",
            "page.host": "\(URLComponents(string: report.hops.last?.url ?? "")?.host ?? "")",
        ])
        return ConsoleRenderer.redirect("/setup?tenant=" + tenantID + "&step=page")
    }

    /// The report as the page shows it: the verdict (what happened, the fix), notes, the hops.
    func pageModel(_ report: PageCheckReport, tenant: String, context: ConsoleRequestContext) -> [String: Any] {
        let verdict = verdict(report, context)
        var notes: [String] = []
        if let first = report.hops.first, first.trackhub, first.fbclid, first.clickID {
            notes.append(text("page_note_fbclid_recorded", context))
        }
        if let index = report.fbclidLostAt, index < report.hops.count {
            notes.append(text("page_note_fbclid_lost", context, Self.short(report.hops[index].url)))
        }
        if report.outcome == .ready, report.checkoutGateway == nil {
            if report.checkouts.isEmpty {
                notes.append(text("page_note_no_checkout", context))
            } else {
                let list = report.checkouts.map { text("page_checkout_item", context, String($0.count), $0.gateway, $0.parameter) }
                notes.append(text("page_note_checkouts", context, list.joined(separator: "; ")))
            }
        }
        if report.scriptOtherHost, let script = report.scriptURL {
            notes.append(text("page_note_script_other_host", context, URLComponents(string: script)?.host ?? script,
                              URLComponents(string: deps.configuration.ingestURL)?.host ?? deps.configuration.ingestURL))
        }
        if report.truncated { notes.append(text("page_note_truncated", context)) }
        let hops: [[String: Any]] = report.hops.enumerated().map { index, hop in
            [
                "number": index + 1, "url": hop.url, "status": hop.status.map(String.init) ?? "—",
                "fbclid": hop.fbclid, "click": hop.clickID, "trackhub": hop.trackhub,
                "lost": report.clickLostAt == index,
                "handoff": index == report.hops.count - 1 && report.checkoutGateway != nil,
            ]
        }
        return [
            "passed": report.passed, "outcome": report.outcome.rawValue, "verdict": verdict.text, "fix": verdict.fix ?? "",
            "has_fix": verdict.fix != nil, "notes": notes.map { ["text": $0] }, "has_notes": !notes.isEmpty, "hops": hops,
            "snippet": Self.snippet(ingest: deps.configuration.ingestURL, tenant: tenant),
            "show_snippet": report.outcome == .scriptMissing || report.outcome == .clickLost && report.checkoutGateway == nil,
            "checked_at": ConsoleFormat.dateTime(Date(timeIntervalSince1970: report.checkedAt), context.language),
        ]
    }

    /// The one sentence that says what happened, and the fix when something must change.
    func verdict(_ report: PageCheckReport, _ context: ConsoleRequestContext) -> (text: String, fix: String?) {
        let last = report.hops.last.map { Self.short($0.url) } ?? ""
        switch report.outcome {
        case .ready:
            if let gateway = report.checkoutGateway { return (text("page_ready_handoff", context, gateway), nil) }
            return (text("page_ready", context), nil)
        case .clickLost:
            if let index = report.clickLostAt, index > 0 {
                return (text("page_click_lost", context, Self.short(report.hops[index - 1].url), Self.short(report.hops[index].url)),
                        text("page_fix_keep_query", context))
            }
            return (text("page_click_missing", context, last), text("page_fix_link_destination", context))
        case .scriptMissing:
            return (text("page_script_missing", context, last), text("page_fix_script", context))
        case .refused:
            let host = URLComponents(string: report.hops.last?.url ?? "")?.host ?? last
            return (text("page_refused_" + (report.refusal ?? .notWebAddress).rawValue, context, host), text("page_fix_public", context))
        case .unreachable:
            let reason = text("page_failure_" + (report.failure ?? "other"), context)
            return (text("page_unreachable", context, last, reason), text("page_fix_open", context))
        case .linkNotFound:
            return (text("page_link_not_found", context, last, report.finalStatus.map(String.init) ?? "—"), text("page_fix_wait", context))
        case .httpError:
            return (text("page_http_error", context, last, report.finalStatus.map(String.init) ?? "—"), text("page_fix_open", context))
        case .tooManyRedirects:
            return (text("page_too_many_redirects", context, String(deps.pageChecker.policy.maxRedirects)), text("page_fix_loop", context))
        }
    }

    /// The `/t.js` tag to paste before `</head>` (docs/API.md).
    static func snippet(ingest: String, tenant: String) -> String {
        var base = ingest
        while base.hasSuffix("/") { base.removeLast() }
        return #"<script src="\#(base)/t.js" data-tenant="\#(tenant)" defer></script>"#
    }

    /// Host and path of a URL, without the query (the test ids make it long), for sentences.
    static func short(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return String(url.prefix(80)) }
        let path = components.path.isEmpty ? "/" : components.path
        return host + String(path.prefix(60))
    }
}
