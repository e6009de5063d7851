/// ``DispatchStorage`` in Postgres: ``DispatchStore``'s statements on a ``PostgresPool`` thread.
public struct PostgresDispatchStorage: DispatchStorage {
    public let postgres: PostgresPool
    private let statements = DispatchStore()

    public init(postgres: PostgresPool) { self.postgres = postgres }

    public func store(touchpoints: [TouchpointRow], webhooks: [Envelope], thenClicks clickIDs: [String]) async throws
        -> [String: [ClickContext]]
    {
        try await postgres.withConnection { [statements] conn in
            try conn.transaction { tx in
                try statements.insertTouchpoints(touchpoints, connection: tx)
                try statements.insertWebhooks(webhooks, connection: tx)
            }
            return try statements.clicks(ids: clickIDs, connection: conn)
        }
    }

    public func telegramUserClicks(_ users: [TelegramUserKey]) async throws -> [TelegramUserKey: String] {
        guard !users.isEmpty else { return [:] }
        return try await postgres.withConnection { conn in try TelegramBotUserStore().latestClicks(users, connection: conn) }
    }

    public func registerForDedupe(_ events: [OutboundEvent]) async throws -> DispatchStore.DedupeDecision {
        guard !events.isEmpty else { return DispatchStore.DedupeDecision() }
        return try await postgres.withConnection { [statements] conn in try statements.registerForDedupe(events, connection: conn) }
    }

    public func record(ledger: [LedgerEntry], deadLetters: [DeadLetter]) async throws {
        guard !ledger.isEmpty || !deadLetters.isEmpty else { return }
        try await postgres.withConnection { [statements] conn in
            try conn.transaction { tx in
                try statements.appendLedger(ledger, connection: tx)
                try statements.insertDeadLetters(deadLetters, connection: tx)
            }
        }
    }
}
