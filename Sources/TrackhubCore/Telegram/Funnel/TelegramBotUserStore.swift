import Foundation

/// Reads and writes `telegram_bot_users`: which click brought each bot user (migration 9,
/// ``TelegramBotUserLink``).
public struct TelegramBotUserStore: Sendable {
    public init() {}

    /// Stores the links in one statement. A user's newer `/start` replaces an older one (the
    /// latest click wins); redeliveries of the same update change nothing.
    public func upsert(_ links: [TelegramBotUserLink], connection: PostgresConnection) throws {
        // One row per user in the statement (ON CONFLICT cannot touch a row twice): the newest.
        var newest: [String: TelegramBotUserLink] = [:]
        for link in links {
            let key = "\(link.tenant)\u{1}\(link.bot)\u{1}\(link.userHash)"
            if let kept = newest[key], kept.startedAt > link.startedAt { continue }
            newest[key] = link
        }
        guard !newest.isEmpty else { return }
        let rows = newest.keys.sorted().compactMap { newest[$0] }
        func column(_ value: (TelegramBotUserLink) -> String) -> PostgresValue { .textArray(rows.map(value)) }
        try connection.query("""
            INSERT INTO telegram_bot_users (tenant_id, bot, user_hash, click_id, touchpoint_id, envelope_id, started_at)
            SELECT t, b, u, c, NULLIF(tp, '')::bigint, e, s::timestamptz
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS x(t, b, u, c, tp, e, s)
            ON CONFLICT (tenant_id, bot, user_hash) DO UPDATE
                SET click_id = EXCLUDED.click_id, touchpoint_id = EXCLUDED.touchpoint_id, envelope_id = EXCLUDED.envelope_id,
                    started_at = EXCLUDED.started_at, updated_at = now()
                WHERE EXCLUDED.started_at >= telegram_bot_users.started_at
            """, [
                column(\.tenant), column(\.bot), column(\.userHash), column(\.clickID), column { $0.touchpointID.map { "\($0)" } ?? "" },
                column(\.envelopeID), try .textArray(rows.map { try PostgresValue.timestamp($0.startedAt).encodedText() }),
            ])
    }

    /// The click id of each user's latest `/start` (to any bot of the user's tenant), for the
    /// users that have one — one statement for a whole batch of bot-reported events.
    public func latestClicks(_ users: [TelegramUserKey], connection: PostgresConnection) throws -> [TelegramUserKey: String] {
        let unique = Array(Set(users))
        guard !unique.isEmpty else { return [:] }
        let r = try connection.query("""
            SELECT DISTINCT ON (b.tenant_id, b.user_hash) b.tenant_id, b.user_hash, b.click_id
            FROM telegram_bot_users b
            JOIN unnest($1::text[], $2::text[]) AS u(t, h) ON b.tenant_id = u.t AND b.user_hash = u.h
            ORDER BY b.tenant_id, b.user_hash, b.started_at DESC
            """, [.textArray(unique.map(\.tenant)), .textArray(unique.map(\.userHash))])
        var out: [TelegramUserKey: String] = [:]
        for i in r.indices {
            guard let tenant = try r.string(i, "tenant_id"), let hash = try r.string(i, "user_hash"),
                  let click = try r.string(i, "click_id") else { continue }
            out[TelegramUserKey(tenant: tenant, userHash: hash)] = click
        }
        return out
    }

    /// The click that brought Telegram user `userID` to any bot of `tenant` (the latest
    /// `/start`), with the context a later event of that user borrows; nil when none is known.
    public func click(tenant: String, userID: Int64, connection: PostgresConnection) throws -> (link: TelegramBotUserLink, click: ClickContext?)? {
        let userHash = TelegramUserIdentity.externalID(userID: userID)
        let r = try connection.query("""
            SELECT tenant_id, bot, user_hash, click_id, touchpoint_id, envelope_id, started_at
            FROM telegram_bot_users WHERE tenant_id = $1 AND user_hash = $2 ORDER BY started_at DESC LIMIT 1
            """, [.string(tenant), .string(userHash)])
        guard !r.isEmpty, let clickID = try r.string(0, "click_id") else { return nil }
        let link = TelegramBotUserLink(tenant: tenant, bot: try r.string(0, "bot") ?? "", userHash: userHash, clickID: clickID,
                                       touchpointID: try r.int(0, "touchpoint_id").map(Int64.init), envelopeID: try r.string(0, "envelope_id") ?? "",
                                       startedAt: try r.date(0, "started_at") ?? Date(timeIntervalSince1970: 0))
        let click = try DispatchStore().clicks(ids: [clickID], connection: connection)[clickID].flatMap { ClickLending.ownClick($0, tenant: tenant) }
        return (link, click)
    }
}
