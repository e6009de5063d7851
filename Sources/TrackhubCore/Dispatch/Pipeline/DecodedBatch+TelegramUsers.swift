public import Foundation

/// Bot-reported events by Telegram user id (`/s2s` with `telegram_user_id`, issue 19 item 3):
/// which users a batch needs looked up, and — pure — tying each such event to the click of that
/// user's latest `/start`, before touchpoints are stored, so the event's touchpoint names the
/// click and the event borrows its IP, user agent, fbc and fbp like any event with a click id.
extension DecodedBatch {
    /// The users to look up: `/track` envelopes naming a Telegram user and no click id of their
    /// own (a click id the bot passed wins over the look-up).
    public var telegramUsers: [TelegramUserKey] {
        envelopes.compactMap { e in
            guard let t = e.track, t.clickId == nil, let user = t.telegramUser else { return nil }
            return TelegramUserKey(tenant: e.tenant, userHash: user)
        }
    }

    /// Sets the click id of each event in ``telegramUsers`` to its user's `/start` click from
    /// `clicks` when that click was made at most `window` before the event (the attribution
    /// window sales use; the clock skew sales allow on the other side). An older click is not
    /// borrowed: the event goes with its own data and the hashed user id only. Pure.
    public mutating func lendTelegramClicks(_ clicks: [TelegramUserKey: String], window: TimeInterval) {
        for i in envelopes.indices {
            guard let t = envelopes[i].track, t.clickId == nil, let user = t.telegramUser,
                  let clickID = clicks[TelegramUserKey(tenant: envelopes[i].tenant, userHash: user)],
                  let minted = ClickID.timestamp(of: clickID) else { continue }
            let age = Double(envelopes[i].receivedAt) / 1000 - minted.timeIntervalSince1970
            guard age >= -ScoredMatcher.clockSkew, age <= window else { continue }
            envelopes[i].track?.clickId = clickID
        }
    }
}
