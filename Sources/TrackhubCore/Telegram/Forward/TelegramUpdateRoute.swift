/// Where a bot update belongs, for relaying it in order: its `update_id` and the chat it is
/// about, read from any update type (reference §4.3).
///
/// Pure, and deliberately shallow: an update is `{"update_id": …, "<type>": {…}}`; the chat is
/// `<type>.chat.id` (messages, edits, channel posts, member changes, join requests, reactions),
/// else `<type>.message.chat.id` (callback queries), else the sender `<type>.from.id` or
/// `<type>.user.id` (inline queries, poll answers, checkout queries). Nothing else is read:
/// the body is relayed unchanged, never rebuilt.
public struct TelegramUpdateRoute: Sendable, Equatable {
    public var updateID: Int64
    /// The chat (or user) id; nil when the update names neither (a bare poll update).
    public var chat: Int64?

    public init(updateID: Int64, chat: Int64?) {
        self.updateID = updateID
        self.chat = chat
    }

    /// The route of `body`, or nil when it is not a Telegram update (no JSON object with an
    /// integer `update_id`).
    public static func read(_ body: [UInt8]) -> TelegramUpdateRoute? {
        guard let json = JSONValue.parse(body), let members = json.objectMembers, let updateID = json["update_id"]?.int64 else {
            return nil
        }
        for (name, value) in members.sorted(by: { $0.key < $1.key }) where name != "update_id" && value.objectMembers != nil {
            if let id = value["chat", "id"]?.int64 ?? value["message", "chat", "id"]?.int64
                ?? value["from", "id"]?.int64 ?? value["user", "id"]?.int64 {
                return TelegramUpdateRoute(updateID: updateID, chat: id)
            }
        }
        return TelegramUpdateRoute(updateID: updateID, chat: nil)
    }

    /// The user who sent `body` (`<type>.from.id`, else `<type>.user.id`): personal data, for
    /// finding one person's updates (``ErasureSubject``); nil for a body that is not an update
    /// or names no sender (a channel post, a bare poll).
    public static func sender(_ body: [UInt8]) -> Int64? {
        guard let json = JSONValue.parse(body), let members = json.objectMembers, json["update_id"]?.int64 != nil else { return nil }
        for (name, value) in members.sorted(by: { $0.key < $1.key }) where name != "update_id" && value.objectMembers != nil {
            if let id = value["from", "id"]?.int64 ?? value["user", "id"]?.int64 { return id }
        }
        return nil
    }
}
