/// A message the fake accepted from `sendMessage`, as the chat would show it.
public struct FakeTelegramMessage: Sendable, Equatable {
    public let bot: String
    public let chatID: String
    public let messageID: Int
    public let text: String
    public let parseMode: String?
    public let disableNotification: Bool
}
