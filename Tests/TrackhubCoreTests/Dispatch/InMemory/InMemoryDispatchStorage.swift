import Foundation
import Synchronization
@testable import TrackhubCore

/// A ``DispatchStorage`` in memory with the Postgres store's semantics: touchpoints and
/// webhooks unique per envelope, clicks looked up by id across tenants, the dedupe registry
/// (first envelope owns a key; the same envelope again is told what the ledger shows sent),
/// an append-only ledger and dead letters, and the bot users' `/start` clicks.
final class InMemoryDispatchStorage: DispatchStorage {
    struct State {
        var touchpoints: [String: TouchpointRow] = [:]
        var webhooks: [String: Envelope] = [:]
        var registry: [String: String] = [:]
        var ledger: [LedgerEntry] = []
        var deadLetters: [DeadLetter] = []
        var nextTouchpointID: Int64 = 1
        var touchpointIDs: [String: Int64] = [:]
        /// Each Telegram user's latest `/start` click (what `telegram_bot_users` holds).
        var telegramUsers: [TelegramUserKey: String] = [:]
    }

    let state = Mutex(State())
    /// Rows this store refuses the way Postgres refuses a value (SQLSTATE 22P05), failing the
    /// whole call with nothing stored — like a transaction.
    let refuseTouchpoint: @Sendable (TouchpointRow) -> Bool
    let refuseLedger: @Sendable (LedgerEntry) -> Bool
    /// Every `record` call: how many ledger rows and dead letters it carried, and whether it was refused.
    let recordCalls = Mutex<[(rows: Int, refused: Bool)]>([])

    init(refuseTouchpoint: @escaping @Sendable (TouchpointRow) -> Bool = { _ in false },
         refuseLedger: @escaping @Sendable (LedgerEntry) -> Bool = { _ in false }) {
        self.refuseTouchpoint = refuseTouchpoint
        self.refuseLedger = refuseLedger
    }

    static let refusal = PostgresError(.queryFailed, "unsupported Unicode escape sequence", sqlState: "22P05")

    func store(touchpoints: [TouchpointRow], webhooks: [Envelope], thenClicks clickIDs: [String]) async throws -> [String: [ClickContext]] {
        if touchpoints.contains(where: refuseTouchpoint) { throw Self.refusal }
        return state.withLock { s in
            for t in touchpoints where s.touchpoints[t.envelopeID] == nil {
                s.touchpoints[t.envelopeID] = t
                s.touchpointIDs[t.envelopeID] = s.nextTouchpointID
                s.nextTouchpointID += 1
            }
            for w in webhooks where s.webhooks[w.id] == nil { s.webhooks[w.id] = w }
            let wanted = Set(clickIDs)
            var out: [String: [ClickContext]] = [:]
            for t in s.touchpoints.values where t.kind == "click" {
                guard let id = t.clickID, wanted.contains(id) else { continue }
                out[id, default: []].append(ClickContext(clickID: id, fbc: t.fbc, fbp: t.fbp, ip: t.ip, userAgent: t.userAgent,
                                                         occurredAt: t.occurredAt, touchpointID: s.touchpointIDs[t.envelopeID],
                                                         pageURL: t.pageURL, tenant: t.tenant))
            }
            return out
        }
    }

    func telegramUserClicks(_ users: [TelegramUserKey]) async throws -> [TelegramUserKey: String] {
        state.withLock { s in s.telegramUsers.filter { users.contains($0.key) } }
    }

    func registerForDedupe(_ events: [OutboundEvent]) async throws -> DispatchStore.DedupeDecision {
        state.withLock { s in
            var decision = DispatchStore.DedupeDecision()
            var fresh = Set<String>()
            for e in events {
                if let owner = s.registry[e.key] {
                    decision.owner[e.key] = owner
                } else {
                    s.registry[e.key] = e.envelopeID
                    decision.owner[e.key] = e.envelopeID
                    fresh.insert(e.key)
                }
            }
            let sent = Set(s.ledger.filter { $0.outcome == .sent }.map { "\($0.pixel)|\($0.eventName)|\($0.eventID)" })
            for e in events where decision.owner[e.key] == e.envelopeID && !fresh.contains(e.key) && sent.contains(e.key) {
                decision.alreadySent.insert(e.key)
            }
            return decision
        }
    }

    func record(ledger: [LedgerEntry], deadLetters: [DeadLetter]) async throws {
        let refused = ledger.contains(where: refuseLedger)
        recordCalls.withLock { $0.append((ledger.count + deadLetters.count, refused)) }
        if refused { throw Self.refusal }
        state.withLock { s in
            s.ledger += ledger
            s.deadLetters += deadLetters
        }
    }

    var ledger: [LedgerEntry] { state.withLock { $0.ledger } }
    var deadLetters: [DeadLetter] { state.withLock { $0.deadLetters } }
    var touchpointCount: Int { state.withLock { $0.touchpoints.count } }
    func ledger(outcome: LedgerOutcome) -> [LedgerEntry] { ledger.filter { $0.outcome == outcome } }
}
