import Foundation

/// What a bot's `/start` becomes — a pure decision over values (the update, the bot's
/// configuration, the clicks stored under its payload), so every branch is unit-tested without
/// Postgres or Telegram.
///
/// - A `/start <click id>` whose click (of the bot's tenant) is stored becomes the bot's funnel
///   event (``TelegramBotSettings/event``: ViewContent unless the bot says Lead) with the click's
///   fbc, fbp, IP and user agent and the user's hashed `external_id`, and links the bot user to
///   the click (``TelegramBotUserLink``).
/// - `action_source` is `chat`: Meta's "conversion was made through a messaging app" (reference
///   §5). `business_messaging` needs a `messaging_channel` Telegram is not one of, and `website`
///   would claim a page view that did not happen (it also requires a page URL); `chat` is also
///   what makes Meta accept the event without `event_source_url`.
/// - The event id is `telegram.<bot>.<update_id>`: Telegram redelivers an update with the same
///   `update_id` until it gets a 2xx, so every redelivery is the same event and the dedupe
///   registry sends it once.
/// - A well-formed click id whose click is not stored yet (the click and the update travel on
///   different streams) is held like a sale's late click (``LateClickHold``, with
///   ``LateClickHold/BotStart``) and dropped if the click never comes.
/// - Anything else — no payload, a payload that is not a click id, another tenant's click, an
///   unknown old id — is recorded (inbox outcome) and not sent.
struct TelegramStartDecision: Sendable {
    enum Outcome: Sendable, Equatable {
        /// Recorded, not sent; the reason is the inbox outcome (never a value from the user).
        case ignored(reason: String)
        /// The bot's tenant has no pixel.
        case noPixel(DeadLetter)
        /// Send it (subject to dedupe) and keep the link.
        case send(OutboundEvent, link: TelegramBotUserLink)
        /// The click is not stored yet: registered and held (``OutboundEvent/hold`` is set).
        case held(OutboundEvent)
    }

    let validator: CAPIEventValidator
    /// Longest a `/start` waits for its click (zero: a missing click is not waited for).
    let lateClickHold: Duration
    /// How old a click id may be for its click to still be expected.
    let attributionWindow: TimeInterval

    /// The event id of update `updateID` of `bot`.
    static func eventID(bot: String, updateID: Int64) -> String { "telegram.\(bot).\(updateID)" }

    func decide(_ start: TelegramStartUpdate, envelopeID: String, receivedAt: Date, account: DispatchConfig.GatewayAccount?,
                pixel: DispatchConfig.Pixel?, clicks: [String: [ClickContext]], now: Date) -> Outcome {
        guard let account else { return .ignored(reason: "/start for a bot that is not configured") }
        guard let clickID = start.payload else { return .ignored(reason: "/start without a click id") }
        guard ClickID.isValid(clickID) else { return .ignored(reason: "/start payload is not a click id") }
        guard let pixel else {
            return .noPixel(DeadLetter(reason: .noPixel, detail: "no pixel for tenant \(account.tenant)", envelopeID: envelopeID))
        }
        let startedAt = start.date.map { Date(timeIntervalSince1970: Double($0)) } ?? receivedAt
        let userHash = TelegramUserIdentity.externalID(userID: start.userID)
        let settings = TelegramBotSettings(account.settings)
        let eventID = Self.eventID(bot: account.account, updateID: start.updateID)
        let base = CAPIEvent(eventName: CAPIEventName(settings.event), eventTime: Int(startedAt.timeIntervalSince1970), eventId: eventID,
                             actionSource: .chat, userData: CAPIUserData(hashed: HashedUserData(externalId: [userHash])))
        if case .expired = validator.verdict(for: base, now: now) {
            return .ignored(reason: "/start older than Meta's 7-day window")
        }

        let stored = clicks[clickID] ?? []
        if let click = ClickLending.ownClick(stored, tenant: account.tenant) {
            let event = Self.lending(click, to: base)
            if case .invalid(let v) = validator.verdict(for: event, now: now) {
                return .ignored(reason: "/start event refused by validation: \(v.map(\.description).joined(separator: "; "))")
            }
            let link = TelegramBotUserLink(tenant: account.tenant, bot: account.account, userHash: userHash, clickID: click.clickID,
                                           touchpointID: click.touchpointID, envelopeID: envelopeID, startedAt: startedAt)
            return .send(OutboundEvent(pixel: pixel.id, envelopeID: envelopeID, event: event), link: link)
        }
        if !stored.isEmpty { return .ignored(reason: "/start click belongs to another tenant") }
        guard lateClickHold > .zero, let minted = ClickID.timestamp(of: clickID) else {
            return .ignored(reason: "/start click not found")
        }
        let age = startedAt.timeIntervalSince(minted)
        guard age >= -ScoredMatcher.clockSkew, age <= attributionWindow else { return .ignored(reason: "/start click not found") }
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        let hold = LateClickHold(tenant: account.tenant, clickIDs: [clickID], deadlineMs: nowMs + lateClickHold.wholeMilliseconds,
                                 sinceMs: nowMs,
                                 botStart: .init(bot: account.account, userHash: userHash,
                                                 startedAtMs: Int64(startedAt.timeIntervalSince1970 * 1000)))
        return .held(OutboundEvent(pixel: pixel.id, envelopeID: envelopeID, event: base, hold: hold))
    }

    /// `event` with what the click lends a chat event: fbc, fbp, IP and user agent. Unlike a
    /// sale, the action source stays `chat` and no page URL is claimed.
    static func lending(_ click: ClickContext, to event: CAPIEvent) -> CAPIEvent {
        var patched = event
        if let fbc = click.fbc { patched.userData.fbc = fbc }
        if let fbp = click.fbp { patched.userData.fbp = fbp }
        if let ip = click.ip { patched.userData.clientIpAddress = ip }
        if let userAgent = click.userAgent { patched.userData.clientUserAgent = userAgent }
        return patched
    }
}
