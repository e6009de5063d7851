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
    /// Set when the held event is a bot's `/start` (``TelegramStartDecision``), not a sale: it
    /// exists only because of its click, so when the click never comes it is dropped (ledger
    /// `click_missing`) instead of sent as first built, and a click found later is linked to the
    /// bot user (``TelegramBotUserLink``) instead of a conversion. Absent in holds written
    /// before bots were tracked, which decode as sales.
    public var botStart: BotStart?

    /// What a held `/start` needs to link its bot user once the click is found.
    public struct BotStart: Codable, Sendable, Equatable {
        public var bot: String
        /// ``TelegramUserIdentity/externalID(userID:)`` of the user.
        public var userHash: String
        /// When the person sent `/start` (Unix ms).
        public var startedAtMs: Int64

        public init(bot: String, userHash: String, startedAtMs: Int64) {
            self.bot = bot
            self.userHash = userHash
            self.startedAtMs = startedAtMs
        }
    }

    public init(tenant: String, clickIDs: [String], deadlineMs: Int64, sinceMs: Int64, botStart: BotStart? = nil) {
        self.tenant = tenant
        self.clickIDs = clickIDs
        self.deadlineMs = deadlineMs
        self.sinceMs = sinceMs
        self.botStart = botStart
    }
}
