import Foundation

/// What a matched click lends a sale's event, applied the same way when the event is first
/// built and when a late click is found for a held event (``ClickLending`` decides the source).
struct SaleClickFields: Equatable {
    var fbc: String?
    var fbp: String?
    var ip: String?
    var userAgent: String?
    /// The click's landing page without its query, when the click gave a page and a user agent.
    var sourceURL: String?
    var actionSource: CAPIActionSource

    /// The click's values first, the buyer's own (from the gateway) where the click has none.
    init(click: ClickContext?, buyerIP: String?, buyerUserAgent: String?, buyerFBC: String? = nil, buyerFBP: String? = nil) {
        fbc = click?.fbc ?? buyerFBC
        fbp = click?.fbp ?? buyerFBP
        ip = click?.ip ?? buyerIP
        userAgent = click?.userAgent ?? buyerUserAgent
        (actionSource, sourceURL) = ClickLending.source(userAgent: userAgent, page: click?.pageURL.flatMap(ClickLending.pageURL))
    }

    /// `event` with these fields in `user_data` (a field the click lacks keeps the event's
    /// value) and the matching action source and page.
    func applied(to event: CAPIEvent) -> CAPIEvent {
        var patched = event
        var user = event.userData
        if let fbc { user.fbc = fbc }
        if let fbp { user.fbp = fbp }
        if let ip { user.clientIpAddress = ip }
        if let userAgent { user.clientUserAgent = userAgent }
        patched.userData = user
        patched.actionSource = actionSource
        patched.eventSourceUrl = sourceURL
        return patched
    }
}
