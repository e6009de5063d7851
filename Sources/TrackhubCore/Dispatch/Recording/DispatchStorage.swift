/// The durable side of dispatching as the pipeline and recorder use it: touchpoints and the
/// webhook inbox, the click look-up, dedupe registration, and a result's ledger rows and dead
/// letters. ``PostgresDispatchStorage`` in production (``DispatchStore`` on a pool thread), an
/// in-memory store in unit tests.
public protocol DispatchStorage: AttemptJournal {
    /// Stores touchpoints and webhooks (one transaction; a redelivered envelope is ignored),
    /// then returns every stored click with one of `clickIDs`, of any tenant, by click id —
    /// so an event later in the same batch finds a click stored by it.
    func store(touchpoints: [TouchpointRow], webhooks: [Envelope], thenClicks clickIDs: [String]) async throws -> [String: [ClickContext]]
    /// The click id of each Telegram user's latest `/start` (``TelegramBotUserStore``), for the
    /// users that have one: how a bot's event by Telegram user id finds its click.
    func telegramUserClicks(_ users: [TelegramUserKey]) async throws -> [TelegramUserKey: String]
    /// Registers events in the dedupe registry and says which this batch may send.
    func registerForDedupe(_ events: [OutboundEvent]) async throws -> DispatchStore.DedupeDecision
    /// Appends ledger rows and stores dead letters (one transaction).
    func record(ledger: [LedgerEntry], deadLetters: [DeadLetter]) async throws
}
