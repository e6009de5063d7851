public import Foundation

/// Every pool bot's health, as dispatchd's checker publishes it in Redis
/// (``TelegramPoolHealthStore``): ingestd reads ``deadBots`` to skip them in `/go` rotation, the
/// alerts read the dead ones with their tenant and since when, and a new lease holder resumes
/// the failure counts.
///
/// JSON, keyed by bot username: `{"checked_at_ms":…,"bots":{"acme_bot":{"status":"dead",
/// "since_ms":…,"failures":1,"reason":"unauthorized","tenant":"acme","checked_at_ms":…}}}`.
public struct TelegramPoolHealth: Sendable, Equatable {
    public var checkedAt: Date
    public var bots: [String: TelegramBotHealth]

    public init(checkedAt: Date, bots: [String: TelegramBotHealth]) {
        self.checkedAt = checkedAt
        self.bots = bots
    }

    /// The bots out of rotation.
    public var deadBots: Set<String> {
        Set(bots.values.filter { $0.status == .dead }.map(\.bot))
    }

    func json() -> [UInt8] {
        var w = JSONWriter(profile: .stored)
        let bots = self.bots.keys.sorted().compactMap { self.bots[$0] }
        w.object([
            ("checked_at_ms", { $0.int(Self.ms(checkedAt)) }),
            ("bots", { w in
                w.object(bots.map { h in
                    (h.bot, { w in
                        var members: [JSONWriter.Member] = [
                            ("status", { $0.string(h.status.rawValue) }), ("since_ms", { $0.int(Self.ms(h.since)) }),
                            ("failures", { $0.int(h.consecutiveFailures) }), ("checked_at_ms", { $0.int(Self.ms(h.checkedAt)) }),
                        ]
                        if let tenant = h.tenant { members.append(("tenant", { $0.string(tenant) })) }
                        if let reason = h.reason { members.append(("reason", { $0.string(reason) })) }
                        if let problem = h.webhookProblem { members.append(("webhook_problem", { $0.string(problem) })) }
                        w.object(members)
                    })
                })
            }),
        ])
        return w.bytes
    }

    /// Reads what ``json()`` wrote; nil for anything else. Entries that do not read are skipped.
    init?(json bytes: [UInt8]) {
        guard let doc = JSONValue.parse(bytes), let at = doc["checked_at_ms"].flatMap(TelegramReply.int64),
              let members = doc["bots"]?.objectMembers else { return nil }
        var bots: [String: TelegramBotHealth] = [:]
        for (bot, entry) in members {
            guard let status = TelegramReply.string(entry["status"]).flatMap(TelegramBotStatus.init(rawValue:)),
                  let since = entry["since_ms"].flatMap(TelegramReply.int64) else { continue }
            bots[bot] = TelegramBotHealth(
                bot: bot, tenant: TelegramReply.string(entry["tenant"]), status: status, since: Self.date(since),
                consecutiveFailures: entry["failures"].flatMap(TelegramReply.int) ?? 0, reason: TelegramReply.string(entry["reason"]),
                webhookProblem: TelegramReply.string(entry["webhook_problem"]),
                checkedAt: Self.date(entry["checked_at_ms"].flatMap(TelegramReply.int64) ?? at))
        }
        self.init(checkedAt: Self.date(at), bots: bots)
    }

    static func ms(_ date: Date) -> Int { Int((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
}
