import Foundation

/// A sale event held back because the click it carries is not stored yet (a *late click*).
///
/// Webhooks travel on the high-priority stream and clicks on the normal one, so under a click
/// backlog (a traffic peak, a worker that was down, clicks replayed from ingestd's spool) a sale
/// can be processed before its own click. Sending at once would lose the click's fbc/fbp/IP/UA
/// for good (the event_id is registered, a later re-send is impossible). Instead the event is
/// registered for dedupe as usual and parked in the retry schedule with this hold; every
/// `recheck` the retry path looks for the click again, patches the event with it as soon as it
/// is stored, and at the deadline sends it with whatever matched at first.
public struct LateClickHold: Codable, Sendable, Equatable {
    /// The tenant the click must belong to.
    public var tenant: String
    /// Click ids the sale carried that were not stored when it was processed.
    public var clickIDs: [String]
    /// Unix ms after which the event is sent with what it has.
    public var deadlineMs: Int64
    /// When the hold began (Unix ms), for the log.
    public var sinceMs: Int64

    public init(tenant: String, clickIDs: [String], deadlineMs: Int64, sinceMs: Int64) {
        self.tenant = tenant
        self.clickIDs = clickIDs
        self.deadlineMs = deadlineMs
        self.sinceMs = sinceMs
    }
}

/// What a matched click lends a sale's event, applied the same way when the event is first
/// built and when a late click is found for a held event.
struct SaleClickFields: Equatable {
    var fbc: String?
    var fbp: String?
    var ip: String?
    var userAgent: String?
    /// The click's landing page without its query, when the click gave a page and a user agent.
    var sourceURL: String?

    /// The click's values first, the buyer's own (from the gateway) where the click has none.
    init(click: ClickContext?, buyerIP: String?, buyerUserAgent: String?, buyerFBC: String? = nil, buyerFBP: String? = nil) {
        fbc = click?.fbc ?? buyerFBC
        fbp = click?.fbp ?? buyerFBP
        ip = click?.ip ?? buyerIP
        userAgent = click?.userAgent ?? buyerUserAgent
        let page = click?.pageURL.flatMap(EnvelopeInterpreter.sourceURL)
        sourceURL = userAgent != nil ? page : nil
    }

    /// `website` needs the browser's user agent and a page; otherwise `system_generated`.
    var actionSource: CAPIActionSource { sourceURL != nil ? .website : .systemGenerated }

    /// The event JSON with these fields in `user_data` and the matching action source, or nil
    /// when the JSON is not an event object.
    func applied(toEventJSON json: String) -> String? {
        guard var event = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else { return nil }
        var user = event["user_data"] as? [String: Any] ?? [:]
        let values: [(String, String?)] = [("fbc", fbc), ("fbp", fbp), ("client_ip_address", ip), ("client_user_agent", userAgent)]
        for (key, value) in values { if let value { user[key] = value } }
        event["user_data"] = user
        event["action_source"] = actionSource.rawValue
        if let sourceURL { event["event_source_url"] = sourceURL } else { event.removeValue(forKey: "event_source_url") }
        guard let data = try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys, .withoutEscapingSlashes]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
