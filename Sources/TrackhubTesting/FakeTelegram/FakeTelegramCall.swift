/// One Bot API request as the fake answered it (every call is recorded, refused ones too).
public struct FakeTelegramCall: Sendable, Equatable {
    /// The bot's username, or nil when the token was unknown.
    public let bot: String?
    public let method: String
    /// The JSON body as received (`.null` when there was none).
    public let body: FakeJSON
    /// The HTTP status answered.
    public let status: Int
}
