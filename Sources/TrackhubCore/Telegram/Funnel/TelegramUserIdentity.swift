/// How a Telegram user is named outside Telegram: the `external_id` Meta gets for them and the
/// key of their bot user ↔ click link (``TelegramBotUserLink``).
///
/// The value hashed is `telegram:<user id>`, not the bare number: a seller's own numeric
/// customer ids (sent as `external_id` by a page or a gateway) must never meet a Telegram id
/// that happens to have the same digits. SHA-256 hex like every hashed `user_data` field (Meta
/// recommends hashing `external_id`), so the id itself is never sent or stored. Every Trackhub
/// path that reports a Telegram user (a `/start`, a bot's server-to-server event) uses this one
/// function, so all of one person's events carry the same `external_id`.
public enum TelegramUserIdentity {
    /// The hashed `external_id` of Telegram user `userID` (64 lowercase hex characters).
    public static func externalID(userID: Int64) -> String {
        MetaHash.sha256Hex("telegram:\(userID)")
    }
}
