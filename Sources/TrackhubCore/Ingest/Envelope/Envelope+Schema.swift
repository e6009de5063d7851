/// The envelope's JSON schema, stated once: member names and order, and each member's type.
/// ``Envelope/encoded()`` writes and ``Envelope/decode(_:)`` reads by these lists (see
/// ``EnvelopeField``), so the two cannot drift. snake_case keys; members are written in this
/// order, nil optionals left out.
extension Envelope {
    static let fields: [EnvelopeField<Envelope>] = [
        .int("v", \.v),
        .string("id", \.id),
        .rawValue("kind", \.kind),
        .int64("received_at", \.receivedAt),
        .string("tenant", \.tenant),
        .object("click", \.click, blank: Click.blank, fields: Click.fields),
        .object("track", \.track, blank: Track(event: ""), fields: Track.fields),
        .object("webhook", \.webhook, blank: Webhook.blank, fields: Webhook.fields),
    ]

    /// Where a decoded envelope starts before its members are read (every required member
    /// is then read or the decoding fails).
    static let blank = Envelope(id: "", kind: .click, receivedAt: 0, tenant: "")
}

extension Envelope.Click {
    static let fields: [EnvelopeField<Self>] = [
        .string("slug", \.slug),
        .string("pixel", \.pixel),
        .string("click_id", \.clickId),
        .string("ip", \.ip),
        .string("user_agent", \.userAgent),
        .string("referrer", \.referrer),
        .stringMap("utm", \.utm),
        .string("fbclid", \.fbclid),
        .string("gclid", \.gclid),
        .string("ttclid", \.ttclid),
        .string("fbc", \.fbc),
        .string("fbp", \.fbp),
        .string("destination", \.destination),
    ]

    static let blank = Self(slug: "", pixel: nil, clickId: "", ip: nil, userAgent: nil, referrer: nil, utm: [:],
                            fbclid: nil, gclid: nil, ttclid: nil, fbc: nil, fbp: nil, destination: "")
}

extension Envelope.Track {
    static let fields: [EnvelopeField<Self>] = [
        .string("event", \.event),
        .string("custom_name", \.customName),
        .string("click_id", \.clickId),
        .string("session_id", \.sessionId),
        .string("event_id", \.eventId),
        .string("page_url", \.pageUrl),
        .string("referrer", \.referrer),
        .string("fbp", \.fbp),
        .string("fbc", \.fbc),
        .string("ip", \.ip),
        .string("user_agent", \.userAgent),
        .bool("consent", \.consent),
        .double("value", \.value),
        .string("currency", \.currency),
        .strings("content_ids", \.contentIds),
        .sealed("user", \.user),
        .rawValue("reporter", \.reporter),
        .string("telegram_user", \.telegramUser),
    ]
}

extension Envelope.Webhook {
    static let fields: [EnvelopeField<Self>] = [
        .string("gateway", \.gateway),
        .string("account", \.account),
        .string("content_type", \.contentType),
        .stringLists("query", \.query),
        .stringMap("headers", \.headers),
        .sealed("body", \.body),
    ]

    static let blank = Self(gateway: "", account: "", contentType: nil, query: [], headers: [:], body: Sealed(text: ""))
}
