/// The browser-side identifiers of the person an event is about — the values Meta matches on
/// besides hashed personal data: IP address, user agent, `_fbc`, `_fbp`, and the page they were on.
///
/// One rule decides where each comes from (``resolve(reporter:reported:click:)``), shared by
/// every path that reports an event on someone's behalf: the browser's `/track`, a seller's
/// server on `/s2s`, and later a Telegram bot reporting by Telegram user id (issue 19), which
/// finds its click another way and passes it here the same.
public struct EndUserContext: Sendable, Equatable {
    public var ip: String?
    public var userAgent: String?
    public var fbc: String?
    public var fbp: String?
    /// The page the person was on (`event_source_url`), without tracking query.
    public var page: String?

    public init(ip: String? = nil, userAgent: String? = nil, fbc: String? = nil, fbp: String? = nil, page: String? = nil) {
        self.ip = ip; self.userAgent = userAgent; self.fbc = fbc; self.fbp = fbp; self.page = page
    }

    /// What an event carries about the person when it arrives, before any click is looked up
    /// (the envelope's `ip`/`user_agent`). Pure.
    ///
    /// A browser's connection is the person's: its IP and user agent are taken. A server's
    /// connection is the server's: only what the caller passed as the end user's own counts
    /// (`explicit`), so an event from a bot with nothing explicit carries no IP and no user
    /// agent, and the click lends its own later. A browser cannot vouch for another address,
    /// so `explicit` IP and user agent are ignored for it.
    public static func reported(by reporter: EventReporter, connectionIP: String?, connectionUserAgent: String?,
                                explicit: EndUserContext) -> EndUserContext {
        var out = explicit
        switch reporter {
        case .browser:
            out.ip = connectionIP
            out.userAgent = connectionUserAgent
        case .server:
            break
        }
        return out
    }

    /// Which value of each field goes to Meta. Pure.
    ///
    /// - `reported`: what the event itself carries about the person. For a ``EventReporter/browser``
    ///   that includes the request's IP and user agent (the browser is the person's); for a
    ///   ``EventReporter/server`` only what the caller passed explicitly as the end user's own
    ///   (`client_ip_address`, `client_user_agent`, `fbc`, `fbp`, `page_url`) — never the
    ///   server's connection.
    /// - `click`: the person's earlier click (of the event's own tenant), however it was found.
    ///
    /// Each field independently: the reported value wins, the click fills what is missing. A
    /// server event also borrows the click's landing page when it names none, so it can be a
    /// `website` event; a browser event keeps its own page only (unchanged since `/track` began).
    /// Without a reported value and without a click, a field stays empty: no guess, and never
    /// the server's own address.
    public static func resolve(reporter: EventReporter, reported: EndUserContext, click: ClickContext?) -> EndUserContext {
        var out = reported
        out.ip = reported.ip ?? click?.ip
        out.userAgent = reported.userAgent ?? click?.userAgent
        out.fbc = reported.fbc ?? click?.fbc
        out.fbp = reported.fbp ?? click?.fbp
        switch reporter {
        case .browser:
            out.page = reported.page
        case .server:
            out.page = reported.page ?? click?.pageURL.flatMap(ClickLending.pageURL)
        }
        return out
    }
}
