/// Where one person (an ``ErasureSubject``) occurs in Postgres: the rows an export reads and an
/// erasure anonymises or redacts. Found by ``PersonalDataFinder``; a plain value, so export and
/// erasure act on exactly the same set.
public struct PersonFootprint: Sendable, Equatable {
    /// Sales whose hashed buyer shares an identifier with the person.
    public var conversionIDs: [Int] = []
    /// Clicks and page events: those carrying the person's hashes, the clicks their sales were
    /// matched to, and the events of the same session or click.
    public var touchpointIDs: [Int] = []
    /// Stored raw webhooks: those of the person's sales, and any other of the tenant whose
    /// opened body names the person.
    public var inboxIDs: [Int] = []
    /// Ledger rows of the person's events (by event id on the tenant's pixels, or by sale).
    public var ledgerIDs: [Int] = []
    /// Dead letters of those events or envelopes, or whose payload holds one of the hashes.
    public var deadLetterIDs: [Int] = []
    /// Bot user ↔ click links (`telegram_bot_users`) of the person's Telegram user hash.
    public var telegramBotUsers = 0
    /// Event ids (ledger, retry schedule) and envelope ids of all of the above.
    public var eventIDs: [String] = []
    public var envelopeIDs: [String] = []

    public init() {}

    /// Rows found per place, for the audit record and the command's output (no identifiers).
    public var counts: [(String, Int)] {
        [("touchpoints", touchpointIDs.count), ("conversions", conversionIDs.count), ("webhook_inbox", inboxIDs.count),
         ("dispatch_attempts", ledgerIDs.count), ("dead_letters", deadLetterIDs.count), ("telegram_bot_users", telegramBotUsers)]
    }
}
