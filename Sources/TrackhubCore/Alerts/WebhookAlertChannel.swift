public import Foundation

/// The generic webhook: each notification POSTed as one JSON object (``body(_:)``) to the
/// operator's URL, for other tools (Slack bridges, PagerDuty, a script). 2xx is delivered;
/// 429, 5xx and transport failures are retried by the outbox; other answers are refused.
public struct WebhookAlertChannel: AlertChannel {
    public static let route = "webhook"
    public let url: String
    private let http: CurlClientPool
    private let timeout: Duration

    /// `url` must already satisfy ``OutboundURLRule`` (the settings check it).
    public init(url: String, http: CurlClientPool, timeout: Duration = .seconds(5)) {
        self.url = url
        self.http = http
        self.timeout = timeout
    }

    public func routes(for notification: AlertNotification) -> [String] { [Self.route] }

    public func handles(_ route: String) -> Bool { route == Self.route }

    public func deliver(_ notification: AlertNotification, route: String) async -> AlertDeliveryResult {
        let outcome = await http.post(url: url, body: Array(Self.body(notification).utf8),
                                      headers: ["Content-Type: application/json"], timeout: timeout)
        return Self.result(outcome)
    }

    static func result(_ outcome: HTTPOutcome) -> AlertDeliveryResult {
        switch outcome {
        case .response(let status, _, _) where (200..<300).contains(status): return .sent
        case .response(let status, _, _) where status == 429 || status >= 500: return .retry(reason: "http \(status)", after: nil)
        case .response(let status, _, _): return .refused(reason: "http \(status)")
        case .failure(let kind, _, _): return .retry(reason: "transport \(kind)", after: nil)
        }
    }

    /// The JSON the webhook receives: ids, state, the numbers, and the texts in both languages.
    public static func body(_ n: AlertNotification) -> String {
        let title = AlertText.title(n), text = AlertText.body(n)
        var w = JSONWriter(profile: .stored)
        w.beginObject()
        w.field("alert", n.key.id)
        w.field("rule", n.key.rule.rawValue)
        w.field("tenant", n.key.tenant)
        w.field("subject", n.key.subject)
        w.field("state", n.kind.rawValue)
        w.key("sequence")
        w.int(n.sequence)
        w.field("first_seen_at", Self.iso(n.firstSeenAt))
        w.field("at", Self.iso(n.at))
        w.key("values")
        w.object(n.condition.values)
        w.field("title_pt_br", title.ptBR)
        w.field("text_pt_br", text.ptBR)
        w.field("title_en", title.en)
        w.field("text_en", text.en)
        w.endObject()
        return w.text
    }

    static func iso(_ date: Date) -> String {
        ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withInternetDateTime])
    }
}
