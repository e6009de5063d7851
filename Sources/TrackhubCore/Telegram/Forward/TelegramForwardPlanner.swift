/// Which of a batch's bot updates go to the forward queue: the pure decision before
/// ``TelegramForwardQueue/enqueue(_:)``.
///
/// An update is queued when its bot's account (`gateway: telegram`, `account: <bot>`) has a
/// `settings.forward_url`, whatever happens to it on the Meta side (a `/start` with or without a
/// click, a plain message, a callback): the seller's backend must see exactly what it would
/// see without Trackhub. A body that is not a Telegram update (no `update_id`) is not queued;
/// the funnel dead-letters it and a replay of that envelope comes back here.
public enum TelegramForwardPlanner {
    /// One authenticated update with its opened body.
    public struct Update: Sendable {
        public var envelope: Envelope
        public var body: [UInt8]

        public init(envelope: Envelope, body: [UInt8]) {
            self.envelope = envelope
            self.body = body
        }
    }

    /// Whether the bot of `envelope` relays its updates (so its body needs opening at all).
    public static func forwards(_ envelope: Envelope, config: DispatchConfig) -> Bool {
        guard let w = envelope.webhook, w.gateway == Gateway.telegram.rawValue,
              let account = config.gatewayAccount(gateway: w.gateway, account: w.account) else { return false }
        return TelegramBotSettings(account.settings).forwardURL != nil
    }

    /// The jobs for `updates` whose bot relays, in batch order.
    public static func jobs(_ updates: [Update], config: DispatchConfig, nowMs: Int64) -> [TelegramForward] {
        updates.compactMap { u in
            guard forwards(u.envelope, config: config), let w = u.envelope.webhook,
                  let route = TelegramUpdateRoute.read(u.body) else { return nil }
            return TelegramForward(tenant: u.envelope.tenant, bot: w.account, updateID: route.updateID, chat: route.chat,
                                   envelopeID: u.envelope.id, body: w.body, queuedAtMs: nowMs)
        }
    }
}
