import Foundation

/// A bot update read for the funnel: who sent a `/start` to which update id, and its payload.
///
/// Telegram sends `/start <payload>` when a person opens `t.me/<bot>?start=<payload>` (the
/// payload is at most 64 of `A–Z a–z 0–9 _ -`, reference §4.4); Trackhub's `/go` links put the
/// click id there. Everything else a bot receives (other messages, callbacks, edits, a `/start`
/// typed by hand) is not a funnel step. Pure: reads the body, decides nothing about clicks.
public struct TelegramStartUpdate: Sendable, Equatable {
    /// Telegram's sequential id of the update: the same on every redelivery, so the event id
    /// is derived from it (with the bot) and redeliveries are duplicates.
    public var updateID: Int64
    /// The person's Telegram user id (`message.from.id`). Personal data: hashed before it is
    /// sent or stored (``TelegramUserIdentity``), never logged.
    public var userID: Int64
    /// `message.date` (Unix seconds), when the person sent `/start`.
    public var date: Int64?
    /// The text after `/start` (trimmed); nil when the command came alone.
    public var payload: String?

    public init(updateID: Int64, userID: Int64, date: Int64?, payload: String?) {
        self.updateID = updateID
        self.userID = userID
        self.date = date
        self.payload = payload
    }

    /// What an update body is for the funnel.
    public enum Reading: Sendable, Equatable {
        /// A `/start` command from a person.
        case start(TelegramStartUpdate)
        /// A valid update that is not a funnel step (the reason names fields, never values).
        case notStart(reason: String)
        /// Not a Telegram update at all (no JSON object, no `update_id`): dead-lettered.
        case malformed(reason: String)
    }

    /// Reads one update body as Telegram posts it to the webhook.
    public static func read(_ body: [UInt8]) -> Reading {
        guard let json = JSONValue.parse(body), json.objectMembers != nil else { return .malformed(reason: "body is not a JSON object") }
        guard let updateID = json["update_id"]?.int64 else { return .malformed(reason: "update without update_id") }
        guard let message = json["message"], message.objectMembers != nil else {
            return .notStart(reason: "update without a new message")
        }
        guard case .string(let text)? = message["text"], let command = command(in: text) else {
            return .notStart(reason: "message is not a /start command")
        }
        guard let from = message["from"], let userID = from["id"]?.int64 else {
            return .notStart(reason: "/start without a sender")
        }
        if from["is_bot"] == .bool(true) { return .notStart(reason: "/start sent by a bot") }
        if let type = message["chat", "type"], type != .string("private") {
            return .notStart(reason: "/start outside a private chat")
        }
        return .start(TelegramStartUpdate(updateID: updateID, userID: userID, date: message["date"]?.int64, payload: command.payload))
    }

    /// A `/start` command as typed or sent by a deep link.
    struct Command: Equatable {
        /// The text after the command, trimmed; nil when there is none.
        var payload: String?
    }

    /// `text` as a `/start` command (`/start`, `/start <payload>`, `/start@<bot> <payload>`);
    /// nil when it is another message or command.
    static func command(in text: String) -> Command? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let head = trimmed.prefix { !$0.isWhitespace }
        guard head == "/start" || head.hasPrefix("/start@") else { return nil }
        let rest = trimmed.dropFirst(head.count).trimmingCharacters(in: .whitespacesAndNewlines)
        return Command(payload: rest.isEmpty ? nil : rest)
    }
}
