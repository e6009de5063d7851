/// What a bot's account (`gateway: telegram`, `account: <bot username>`) says in `settings`:
/// which funnel event its `/start` becomes, whether Trackhub registers the webhook itself, and
/// the seller's own bot backend that keeps receiving every update.
///
///     settings:
///       event: ViewContent              # or Lead (default ViewContent)
///       webhook_url: https://track.example.com/webhooks/telegram/acme_bot   # what setWebhook registers
///       register_webhook: true          # `dispatchd apply` calls setWebhook (needs api_token_env: the bot token)
///       forward_url: https://bot.example.com/telegram   # every update, unchanged, with retries
public struct TelegramBotSettings: Sendable, Equatable {
    /// The funnel events a `/start` may become.
    public static let events = ["ViewContent", "Lead"]
    public static let keys = ["event", "webhook_url", "register_webhook", "forward_url"]

    public var event: String
    public var webhookURL: String?
    public var registerWebhook: Bool
    public var forwardURL: String?

    public init(event: String = "ViewContent", webhookURL: String? = nil, registerWebhook: Bool = false, forwardURL: String? = nil) {
        self.event = event
        self.webhookURL = webhookURL
        self.registerWebhook = registerWebhook
        self.forwardURL = forwardURL
    }

    /// Reads `settings`, taking defaults for what is missing or wrong (``problems(_:)`` says
    /// what is wrong when configuration is written).
    public init(_ settings: [String: ConfigValue]) {
        let event = settings["event"]?.stringValue
        self.init(event: event.flatMap { Self.events.contains($0) ? $0 : nil } ?? "ViewContent",
                  webhookURL: settings["webhook_url"]?.stringValue, registerWebhook: settings["register_webhook"] == .bool(true),
                  forwardURL: settings["forward_url"]?.stringValue)
    }

    /// What is wrong in `settings`, as (key, message) pairs; empty when nothing is.
    public static func problems(_ settings: [String: ConfigValue]) -> [(key: String, message: String)] {
        var out: [(String, String)] = []
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "event":
                if !(value.stringValue.map(events.contains) ?? false) { out.append((key, "must be ViewContent or Lead")) }
            case "webhook_url", "forward_url":
                if !(value.stringValue.map(isWebURL) ?? false) { out.append((key, "must be an https:// URL (http:// only for 127.0.0.1 or localhost)")) }
            case "register_webhook":
                if case .bool = value {} else { out.append((key, "must be true or false")) }
            default:
                out.append((key, "is not a setting of a Telegram bot (\(keys.joined(separator: ", ")))"))
            }
        }
        if settings["register_webhook"] == .bool(true), settings["webhook_url"] == nil {
            out.append(("register_webhook", "needs webhook_url (this bot's /webhooks/telegram/{bot} URL on ingestd)"))
        }
        return out
    }

    static func isWebURL(_ text: String) -> Bool {
        guard text.count <= 2048, !text.contains(where: { $0.isWhitespace || $0.isNewline }) else { return false }
        return (text.hasPrefix("https://") && text.count > 8) || text.hasPrefix("http://127.0.0.1:") || text.hasPrefix("http://localhost:")
            || text.hasPrefix("http://127.0.0.1/") || text.hasPrefix("http://localhost/")
    }
}
