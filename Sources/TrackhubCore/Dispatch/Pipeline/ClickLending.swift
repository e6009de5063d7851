public import Foundation

/// The one rule for "lend a click's context to an event": which stored click may lend its
/// fbc/fbp/IP/user agent (only a click of the event's own tenant — a copied link can put the
/// same click id under two tenants, and another tenant's click must never lend its data), and
/// which `action_source` the event then gets (`website` needs the browser's user agent and
/// the page; anything less is `system_generated`, with no `event_source_url`).
///
/// Used by the funnel events (`EnvelopeInterpreter`), the sale matcher and the late-click
/// recheck, so the three can no longer decide differently.
public enum ClickLending {
    /// The click of `tenant` among the clicks stored under one click id.
    public static func ownClick(_ candidates: [ClickContext]?, tenant: String) -> ClickContext? {
        candidates?.first { $0.tenant == tenant }
    }

    /// The first of `ids` whose stored click belongs to `tenant` (`clicks` keyed by click id).
    public static func ownClick(ids: some Sequence<String>, tenant: String, in clicks: [String: [ClickContext]]) -> ClickContext? {
        for id in ids {
            if let click = ownClick(clicks[id], tenant: tenant) { return click }
        }
        return nil
    }

    /// `action_source` and `event_source_url` of an event with this browser user agent and
    /// page: `website` with the page when both are known, else `system_generated` without one
    /// (a `website` event without either is refused by Meta).
    public static func source(userAgent: String?, page: String?) -> (actionSource: CAPIActionSource, eventSourceURL: String?) {
        guard MetaJSON.nonEmpty(userAgent) != nil, let page = MetaJSON.nonEmpty(page) else { return (.systemGenerated, nil) }
        return (.website, page)
    }

    /// A landing page without its click-id/tracking query and fragment, as the page URL Meta
    /// sees (nil when it is not an http(s) URL).
    public static func pageURL(_ destination: String) -> String? {
        guard var c = URLComponents(string: destination), c.scheme == "https" || c.scheme == "http" else { return nil }
        c.query = nil
        c.fragment = nil
        return c.string
    }
}
