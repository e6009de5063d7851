public import Foundation

/// What ingestd appends to a Redis stream for every accepted request: the minimum dispatchd
/// needs to act later, with personal data sealed (AES-GCM) so Redis never holds it in clear.
///
/// Versioned (`v`) so a future dispatchd can still read what an older ingestd wrote. Its JSON
/// schema is `Envelope+Schema.swift`.
public struct Envelope: Sendable, Equatable {
    public static let currentVersion = 1

    public enum Kind: String, Sendable {
        case click
        case track
        case webhook
    }

    public var v: Int
    /// Unique id of the envelope (the click id for clicks); the idempotency key inside dispatchd.
    public var id: String
    public var kind: Kind
    /// When ingestd accepted it, in Unix milliseconds.
    public var receivedAt: Int64
    public var tenant: String
    public var click: Click?
    public var track: Track?
    public var webhook: Webhook?

    public init(id: String, kind: Kind, receivedAt: Int64, tenant: String,
                click: Click? = nil, track: Track? = nil, webhook: Webhook? = nil) {
        self.v = Self.currentVersion
        self.id = id
        self.kind = kind
        self.receivedAt = receivedAt
        self.tenant = tenant
        self.click = click
        self.track = track
        self.webhook = webhook
    }

    /// A click on a tracking link.
    public struct Click: Sendable, Equatable {
        public var slug: String
        public var pixel: String?
        public var clickId: String
        public var ip: String?
        public var userAgent: String?
        public var referrer: String?
        public var utm: [String: String]
        public var fbclid: String?
        public var gclid: String?
        public var ttclid: String?
        public var fbc: String?
        public var fbp: String?
        /// The URL the person was sent to (with the click id carried in it).
        public var destination: String

        public init(slug: String, pixel: String?, clickId: String, ip: String?, userAgent: String?,
                    referrer: String?, utm: [String: String], fbclid: String?, gclid: String?,
                    ttclid: String?, fbc: String?, fbp: String?, destination: String) {
            self.slug = slug; self.pixel = pixel; self.clickId = clickId; self.ip = ip
            self.userAgent = userAgent; self.referrer = referrer; self.utm = utm; self.fbclid = fbclid
            self.gclid = gclid; self.ttclid = ttclid; self.fbc = fbc; self.fbp = fbp
            self.destination = destination
        }
    }

    /// A page/funnel event sent by a landing page (`POST /track/{event}`).
    public struct Track: Sendable, Equatable {
        /// Trackhub's event name (`pageview`, `lead`, …, or `custom`).
        public var event: String
        /// For `custom` events, the Meta event name to send.
        public var customName: String?
        public var clickId: String?
        public var sessionId: String?
        /// The browser pixel's eventID, so Meta deduplicates browser and server.
        public var eventId: String?
        public var pageUrl: String?
        public var referrer: String?
        public var fbp: String?
        public var fbc: String?
        public var ip: String?
        public var userAgent: String?
        /// False when the subject declined ad tracking: stored, never sent.
        public var consent: Bool
        public var value: Double?
        public var currency: String?
        public var contentIds: [String]?
        /// JSON of `RawUserData`, sealed for ``SealContext/envelopeUser(tenant:envelope:)``.
        public var user: Sealed?
        /// Who sent it; nil is a browser (every envelope before `/s2s`, and every `/track`).
        /// For a server, `ip` and `userAgent` are only what the caller passed as the end
        /// user's own (``EndUserContext/reported(by:connectionIP:connectionUserAgent:explicit:)``).
        public var reporter: EventReporter?
        /// The Telegram user a bot reported the event for (`/s2s` with `telegram_user_id`), as
        /// ``TelegramUserIdentity/externalID(userID:)`` — hashed by ingestd, so the id itself is
        /// never in a stream. dispatchd finds that user's click through their `/start`
        /// (``TelegramBotUserStore``) and sends the hash as `external_id`.
        public var telegramUser: String?

        /// ``reporter`` with its default.
        public var reportedBy: EventReporter { reporter ?? .browser }

        public init(event: String, customName: String? = nil, clickId: String? = nil, sessionId: String? = nil,
                    eventId: String? = nil, pageUrl: String? = nil, referrer: String? = nil, fbp: String? = nil,
                    fbc: String? = nil, ip: String? = nil, userAgent: String? = nil, consent: Bool = true,
                    value: Double? = nil, currency: String? = nil, contentIds: [String]? = nil, user: Sealed? = nil,
                    reporter: EventReporter? = nil, telegramUser: String? = nil) {
            self.event = event; self.customName = customName; self.clickId = clickId; self.sessionId = sessionId
            self.eventId = eventId; self.pageUrl = pageUrl; self.referrer = referrer; self.fbp = fbp
            self.fbc = fbc; self.ip = ip; self.userAgent = userAgent; self.consent = consent
            self.value = value; self.currency = currency; self.contentIds = contentIds; self.user = user
            self.reporter = reporter
            self.telegramUser = telegramUser
        }
    }

    /// A gateway webhook whose authentication passed. The raw body is kept (sealed for
    /// ``SealContext/webhookBody(tenant:envelope:)``) so a parser fix can be replayed over old input.
    public struct Webhook: Sendable, Equatable {
        public var gateway: String
        public var account: String
        public var contentType: String?
        /// The query string pairs (Mercado Pago names the payment there).
        public var query: [[String]]
        /// Headers a parser needs (e.g. `x-request-id`), lowercase names.
        public var headers: [String: String]
        public var body: Sealed

        public init(gateway: String, account: String, contentType: String?, query: [[String]],
                    headers: [String: String], body: Sealed) {
            self.gateway = gateway; self.account = account; self.contentType = contentType
            self.query = query; self.headers = headers; self.body = body
        }
    }
}


extension Envelope {
    /// What this envelope's sealed user data (`track.user`) is bound to.
    public var userSealContext: SealContext { .envelopeUser(tenant: tenant, envelope: id) }
    /// What this envelope's sealed webhook body is bound to, wherever the body is copied
    /// (`webhook_inbox`, a Telegram forward job).
    public var webhookSealContext: SealContext { .webhookBody(tenant: tenant, envelope: id) }
}
