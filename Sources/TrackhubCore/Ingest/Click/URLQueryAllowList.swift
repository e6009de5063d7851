/// Which query parameters of a page's URL are kept: campaign and click ids only, so personal
/// data in a URL (`/obrigado?email=…&tel=…`, a token in a referrer) is never stored in Redis or
/// Postgres nor sent to Meta as `event_source_url` (issue 14).
///
/// Applied by ingestd to `/track`'s `page_url` and `referrer` and to a click's `Referer`.
/// Besides dropping the query parameters not allowed, it drops the URL's user info
/// (`https://user:pass@host`) and its fragment (`#access_token=…`). The path is kept as it is.
public struct URLQueryAllowList: Sendable, Equatable {
    /// Click-id parameters of ad platforms and of the gateways' checkout links (`sck`, `src`,
    /// `xcod`), and Trackhub's own `th_cid`. Every `utm_*` name is allowed too.
    public static let clickIDNames: Set<String> = [
        "fbclid", "gclid", "gbraid", "wbraid", "dclid", "ttclid", "msclkid", "twclid", "li_fat_id",
        "sck", "src", "xcod", "th_cid",
    ]

    /// Names allowed on top (`TRACKHUB_URL_QUERY_ALLOW`: a landing page's own campaign names).
    public var extra: Set<String>

    public init(extra: some Sequence<String> = [String]()) {
        self.extra = Set(extra)
    }

    public func allows(_ name: String) -> Bool {
        name.hasPrefix("utm_") || Self.clickIDNames.contains(name) || extra.contains(name)
    }

    /// `url` without user info, fragment and every query parameter whose decoded name is not
    /// allowed; the kept parameters stay byte for byte, in order.
    public func filtered(_ url: String) -> String {
        var main = url[...]
        if let hash = main.firstIndex(of: "#") { main = main[..<hash] }
        var head = Substring("")
        if let colon = main.firstIndex(of: ":"), main[colon...].hasPrefix("://") {
            let authority = main.index(colon, offsetBy: 3)
            head = main[..<authority]
            main = main[authority...]
            let authorityEnd = main.firstIndex { $0 == "/" || $0 == "?" } ?? main.endIndex
            if let at = main[..<authorityEnd].lastIndex(of: "@") { main = main[main.index(after: at)...] }
        }
        guard let question = main.firstIndex(of: "?") else { return String(head + main) }
        let kept = main[main.index(after: question)...].split(separator: "&").filter { pair in
            let name = pair.prefix { $0 != "=" }
            return allows(QueryString.decodeComponent(name))
        }
        return String(head + main[..<question]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }
}
