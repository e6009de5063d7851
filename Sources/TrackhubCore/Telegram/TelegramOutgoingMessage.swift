/// One `sendMessage` (reference §4.2): text of 1–4096 characters to a chat the bot already
/// talks with (a bot can't start a conversation).
public struct TelegramOutgoingMessage: Sendable, Equatable {
    /// The longest `text` Telegram accepts (after entity parsing).
    public static let maxTextLength = 4096

    /// A numeric chat id (`-100…` for supergroups) or `@channelusername`.
    public var chatID: String
    public var text: String
    /// `HTML` or `MarkdownV2`; nil for plain text.
    public var parseMode: String?
    /// Delivered without sound.
    public var disableNotification: Bool

    public init(chatID: String, text: String, parseMode: String? = nil, disableNotification: Bool = false) {
        self.chatID = chatID
        self.text = text
        self.parseMode = parseMode
        self.disableNotification = disableNotification
    }

    /// The JSON body of `sendMessage`; a numeric chat id is sent as a number.
    func body() -> [UInt8] {
        var w = JSONWriter(profile: .stored)
        let chat = chatID
        var members: [JSONWriter.Member] = [
            ("chat_id", { w in if let id = Int(chat) { w.int(id) } else { w.string(chat) } }),
            ("text", { $0.string(text) }),
        ]
        if let parseMode { members.append(("parse_mode", { $0.string(parseMode) })) }
        if disableNotification { members.append(("disable_notification", { $0.bool(true) })) }
        w.object(members)
        return w.bytes
    }
}
