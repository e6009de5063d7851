public import Foundation

/// One bot update waiting to be relayed, unchanged, to the bot's own backend
/// (`settings.forward_url`), in the forward queue (``TelegramForwardQueue``).
///
/// Why it carries the body still sealed: the update holds the person's name and username; the
/// queue lives in Redis, so it keeps the envelope's AES-GCM ciphertext (context
/// `envelope.webhook`) and only the sending worker opens it, byte for byte as Telegram posted it.
/// The forward URL is not in the job: it is read from the configuration at each attempt, so a
/// corrected URL applies to updates already waiting.
public struct TelegramForward: Sendable, Codable, Equatable {
    /// Marks a dead letter's payload as a forward (``DeadLetterAdmin`` replays it into the queue).
    public static let kindTag = "telegram_forward"

    public var tenant: String
    /// The bot's username (its gateway account).
    public var bot: String
    /// Telegram's `update_id`: with the bot, the job's identity (a redelivery is the same job).
    public var updateID: Int64
    /// The chat (or, without one, the user) the update belongs to: updates of one chat are
    /// relayed in `update_id` order. nil: no order to keep.
    public var chat: Int64?
    public var envelopeID: String
    /// The update body as ingestd received it, sealed.
    public var body: Sealed
    /// Attempts made so far.
    public var attempts: Int
    /// When the update was first queued (Unix ms).
    public var queuedAtMs: Int64

    public init(tenant: String, bot: String, updateID: Int64, chat: Int64?, envelopeID: String, body: Sealed,
                attempts: Int = 0, queuedAtMs: Int64) {
        self.tenant = tenant
        self.bot = bot
        self.updateID = updateID
        self.chat = chat
        self.envelopeID = envelopeID
        self.body = body
        self.attempts = attempts
        self.queuedAtMs = queuedAtMs
    }

    /// The job's id in the queue: `bot:update_id`.
    public var key: String { "\(bot):\(updateID)" }
    /// Jobs with the same order key are relayed one at a time, oldest `update_id` first.
    public var orderKey: String { chat.map { "\(bot):c\($0)" } ?? key }

    enum CodingKeys: String, CodingKey {
        case kind, tenant, bot, updateID = "update_id", chat, envelopeID = "envelope_id", body, attempts
        case queuedAtMs = "queued_at_ms"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard try c.decode(String.self, forKey: .kind) == Self.kindTag else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "not a telegram forward")
        }
        self.init(tenant: try c.decode(String.self, forKey: .tenant), bot: try c.decode(String.self, forKey: .bot),
                  updateID: try c.decode(Int64.self, forKey: .updateID), chat: try c.decodeIfPresent(Int64.self, forKey: .chat),
                  envelopeID: try c.decode(String.self, forKey: .envelopeID), body: try c.decode(Sealed.self, forKey: .body),
                  attempts: try c.decode(Int.self, forKey: .attempts), queuedAtMs: try c.decode(Int64.self, forKey: .queuedAtMs))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.kindTag, forKey: .kind)
        try c.encode(tenant, forKey: .tenant)
        try c.encode(bot, forKey: .bot)
        try c.encode(updateID, forKey: .updateID)
        try c.encodeIfPresent(chat, forKey: .chat)
        try c.encode(envelopeID, forKey: .envelopeID)
        try c.encode(body, forKey: .body)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(queuedAtMs, forKey: .queuedAtMs)
    }

    /// The job as JSON text (queue payload, dead-letter payload).
    public func json() throws -> String {
        String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }

    /// A job from ``json()``'s text, or nil when `text` is something else.
    public static func decode(_ text: String) -> TelegramForward? {
        try? JSONDecoder().decode(TelegramForward.self, from: Data(text.utf8))
    }
}
