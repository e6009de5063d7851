import Foundation

/// Finds the touchpoint that produced a sale (docs/MATCHING.md), strongest evidence first:
///
/// 1. `click_id` (1.0): a click id the gateway carried back, of a click of the same tenant;
/// 1b. `telegram_user` (0.97): a Telegram user id the bot put in the payment's metadata
///    (`tg_user_id`), whose `/start` named a click of the tenant (``TelegramBotUserStore``) —
///    a sale closed inside the bot (issue 19, item 4);
/// 2. `session_id` (0.95): a `/t.js` session id carried back, on a touchpoint of the tenant;
/// 3. `email` (0.9) / `phone` (0.8): the buyer's hash on an earlier lead or checkout;
/// 4. `scored` (its score): IP, user agent and time (``ScoredMatcher``).
///
/// It also reports the *pending* click ids: well-formed, recent ids that are not stored at all
/// yet. Their click is most likely still queued behind the sale (a late click), so the caller
/// holds the Purchase briefly instead of sending it without the click (see ``LateClickHold``).
struct SaleMatcher: Sendable {
    struct Match: Sendable, Equatable {
        var context: ClickContext
        var method: String
        var score: Double
    }

    struct Result: Sendable {
        var match: Match?
        /// Valid click ids carried by the sale whose click is not stored yet.
        var pendingClickIDs: [String] = []
    }

    static let sessionMetadataKeys = ["th_sid", "session_id"]
    /// Where a bot that creates the charge itself (a PIX through Mercado Pago, a Stripe payment)
    /// puts the buyer's Telegram user id.
    static let telegramUserMetadataKeys = ["tg_user_id", "telegram_user_id"]

    let window: TimeInterval
    let scored: ScoredMatcher
    private let store = SalesStore()

    init(window: TimeInterval, scoreThreshold: Double) {
        self.window = window
        self.scored = ScoredMatcher(window: window, threshold: scoreThreshold)
    }

    /// One sale to match: its conversion, the tenant it belongs to and the buyer's hashes.
    struct Sale: Sendable {
        var conversion: Conversion
        var tenant: String
        var hashed: HashedUserData
    }

    /// Matches a batch of sales: the click ids of every sale in one look-up, then the weaker
    /// methods (one look-up each) only for the sales no click of their tenant matched.
    func match(_ sales: [Sale], connection: PostgresConnection) throws -> [Result] {
        let clicks = try DispatchStore().clicks(ids: sales.flatMap { $0.conversion.tracking.clickIDs }, connection: connection)
        let stored = Set(clicks.keys)
        return try sales.map { sale in
            let ids = sale.conversion.tracking.clickIDs
            if let click = ClickLending.ownClick(ids: ids, tenant: sale.tenant, in: clicks) {
                return Result(match: Match(context: click, method: "click_id", score: 1.0))
            }
            var result = Result(pendingClickIDs: pendingClickIDs(ids, saleTime: sale.conversion.occurredAt, stored: stored))
            result.match = try fallback(sale, connection: connection)
            return result
        }
    }

    /// The bot user's click, then session id, then email/phone, then the scored network match.
    private func fallback(_ sale: Sale, connection: PostgresConnection) throws -> Match? {
        let c = sale.conversion
        if let userID = Self.telegramUserID(c.tracking),
           let click = try TelegramBotUserStore().click(tenant: sale.tenant, userID: userID, connection: connection)?.click,
           inWindow(click: click.occurredAt, sale: c.occurredAt) {
            return Match(context: click, method: "telegram_user", score: 0.97)
        }
        let sessions = sessionCandidates(c.tracking)
        if let (ctx, method) = try store.touchpointBySession(tenant: sale.tenant, sessionIDs: sessions, before: c.occurredAt,
                                                               window: window, connection: connection) {
            return Match(context: ctx, method: method, score: 0.95)
        }
        if let (ctx, method) = try store.touchpointByIdentity(tenant: sale.tenant, emailHashes: sale.hashed.em, phoneHashes: sale.hashed.ph,
                                                                before: c.occurredAt, window: window, connection: connection) {
            return Match(context: ctx, method: method, score: method == "email" ? 0.9 : 0.8)
        }
        guard let ip = c.ip else { return nil }
        let candidates = try store.clicksNear(ip: ip, tenant: sale.tenant, before: c.occurredAt, window: window, connection: connection)
        let scoredSale = ScoredMatcher.Sale(ip: ip, userAgent: c.userAgent, occurredAt: c.occurredAt)
        if case .matched(let id, let score) = scored.verdict(candidates.map(\.0), for: scoredSale),
           let ctx = candidates.first(where: { $0.0.id == id })?.1 {
            return Match(context: ctx, method: "scored", score: score)
        }
        return nil
    }

    /// The Telegram user id in the payment's metadata (digits, positive), if any.
    static func telegramUserID(_ t: TrackingParameters) -> Int64? {
        for key in telegramUserMetadataKeys {
            if let raw = t.metadata[key]?.trimmingCharacters(in: .whitespaces), let id = Int64(raw), id > 0 { return id }
        }
        return nil
    }

    /// A click that may have led to a sale: before it (give or take the clock skew), within the window.
    func inWindow(click: Date, sale: Date) -> Bool {
        let age = sale.timeIntervalSince(click)
        return age >= -ScoredMatcher.clockSkew && age <= window
    }

    /// Values that may be a session id: candidates that are not click ids, and metadata keys.
    func sessionCandidates(_ t: TrackingParameters) -> [String] {
        var out = Self.sessionMetadataKeys.compactMap { t.metadata[$0] }
        out += t.clickIDCandidates.filter { !ClickID.isValid($0) }
        return Array(Set(out.filter { !$0.isEmpty && $0.count <= 128 })).sorted()
    }

    /// Click ids whose click may still arrive: minted within the attribution window before the
    /// sale (a ULID carries its creation time) and not stored under any tenant (`stored`). An
    /// id of a click stored for another tenant is not pending: it will never match this tenant.
    func pendingClickIDs(_ ids: [String], saleTime: Date, stored: Set<String>) -> [String] {
        ids.filter { id in
            guard !stored.contains(id), let minted = ClickID.timestamp(of: id) else { return false }
            return inWindow(click: minted, sale: saleTime)
        }
    }
}
