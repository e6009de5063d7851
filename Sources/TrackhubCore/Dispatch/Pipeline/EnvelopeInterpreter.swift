public import Foundation

/// Turns click and page-event envelopes into touchpoints and CAPI events.
///
/// Event ids are deterministic so a redelivered envelope rebuilds the same event: the click id
/// for a click's PageView, the browser pixel's `eventID` when the page sent one (so Meta
/// deduplicates browser and server), else `th.<envelope id>`.
public struct EnvelopeInterpreter: Sendable {
    public let keys: KeyRing
    private let validator = CAPIEventValidator()

    public init(keys: KeyRing) { self.keys = keys }

    /// An event that was built but must not be sent (dead-lettered with this reason).
    public struct Rejected: Error, CustomStringConvertible {
        public let reason: DeadLetterReason
        public let detail: String
        public var description: String { "\(reason.rawValue): \(detail)" }
    }

    /// The result of interpreting one envelope.
    public struct Interpretation: Sendable {
        public var touchpoint: TouchpointRow?
        /// Events to send (subject to dedupe and validation).
        public var events: [OutboundEvent] = []
        /// Events recorded but never sent (consent declined).
        public var consentBlocked: [OutboundEvent] = []
        public var deadLetters: [DeadLetter] = []
        /// Why nothing is sent, when nothing is (logged, not an error).
        public var note: String?
    }

    /// The touchpoint of a click/track envelope (hashing the user data it carries).
    public func touchpoint(_ e: Envelope, hashed: HashedUserData?) -> TouchpointRow? {
        let at = Date(timeIntervalSince1970: Double(e.receivedAt) / 1000)
        if let c = e.click {
            // Stored as jsonb: the stored profile (a NUL in a utm value must not fail the row).
            var utm = JSONWriter(profile: .stored, capacity: 256)
            utm.object(c.utm)
            return TouchpointRow(envelopeID: e.id, tenant: e.tenant, kind: "click", clickID: c.clickId, fbp: c.fbp, fbc: c.fbc,
                                 ip: c.ip, userAgent: c.userAgent, pageURL: c.destination, referrer: c.referrer,
                                 utmJSON: utm.text, occurredAt: at, linkSlug: c.slug.isEmpty ? nil : c.slug)
        }
        if let t = e.track {
            return TouchpointRow(envelopeID: e.id, tenant: e.tenant, kind: t.event, clickID: t.clickId, sessionID: t.sessionId,
                                 eventID: t.eventId, fbp: t.fbp, fbc: t.fbc, ip: t.ip, userAgent: t.userAgent,
                                 pageURL: t.pageUrl, referrer: t.referrer, emailHash: hashed?.em.first,
                                 phoneHash: hashed?.ph.first, consent: t.consent, occurredAt: at)
        }
        return nil
    }

    /// Opens and hashes the user data of a track envelope (nil when there is none).
    public func hashedUser(_ e: Envelope, tenant: DispatchConfig.Tenant?) throws -> HashedUserData? {
        try hashedUserAndDrops(e, tenant: tenant)?.hashed
    }

    /// ``hashedUser(_:tenant:)`` and the keys given but dropped as invalid (counted here).
    public func hashedUserAndDrops(_ e: Envelope, tenant: DispatchConfig.Tenant?) throws
        -> (hashed: HashedUserData, dropped: [HashedUserData.Key])? {
        guard let sealed = e.track?.user else { return nil }
        let raw = try Envelope.openUser(sealed, tenant: e.tenant, envelopeID: e.id, keys: keys)
        let normalizer = UserDataNormalizer(defaultCountryCallingCode: tenant?.defaultCountryCallingCode ?? "55",
                                            defaultCountry: tenant?.defaultCountry ?? "br")
        let hashed = normalizer.normalize(raw)
        return (hashed, UserDataDrops.count(raw, hashed, source: .track))
    }

    /// `dropped`: identifiers of the envelope's user data dropped as invalid; the events built
    /// carry them to the ledger note.
    public func interpret(_ e: Envelope, config: DispatchConfig, click: ClickContext?,
                          hashed: HashedUserData?, dropped: [HashedUserData.Key] = [], now: Date = Date()) throws -> Interpretation {
        var out = Interpretation()
        out.touchpoint = touchpoint(e, hashed: hashed)
        switch e.kind {
        case .click:
            guard let c = e.click else { throw InterpretError.missingBody("click") }
            guard let pixel = config.pixel(tenant: e.tenant, preferred: c.pixel) else {
                out.note = "no pixel for tenant"
                return out
            }
            guard pixel.sendClickAsPageView else {
                out.note = "pixel does not send clicks"
                return out
            }
            guard !CrawlerUserAgents.isCrawler(c.userAgent) else {
                out.note = "crawler user agent: recorded, not sent"
                return out
            }
            let source = ClickLending.source(userAgent: c.userAgent, page: ClickLending.pageURL(c.destination))
            let event = CAPIEvent(
                eventName: .pageView, eventTime: Int(e.receivedAt / 1000), eventId: c.clickId,
                actionSource: source.actionSource, eventSourceUrl: source.eventSourceURL,
                referrerUrl: c.referrer,
                userData: CAPIUserData(fbc: c.fbc, fbp: c.fbp, clientIpAddress: c.ip, clientUserAgent: c.userAgent))
            out.events.append(try outbound(event, pixel: pixel, envelope: e, now: now))
        case .track:
            guard let t = e.track else { throw InterpretError.missingBody("track") }
            let pixel = config.pixel(tenant: e.tenant, preferred: nil)
            guard let pixel else {
                out.note = "no pixel for tenant"
                return out
            }
            guard pixel.forwards(t.event) else {
                out.note = "pixel does not send \(t.event)"
                return out
            }
            // Whose IP, user agent, fbc, fbp and page go to Meta: the event's own (a browser's
            // connection, or what a server passed as the end user's), the click filling gaps.
            let person = EndUserContext.resolve(
                reporter: t.reportedBy,
                reported: EndUserContext(ip: t.ip, userAgent: t.userAgent, fbc: t.fbc, fbp: t.fbp, page: t.pageUrl),
                click: click)
            guard !CrawlerUserAgents.isCrawler(t.reportedBy == .browser ? t.userAgent : person.userAgent) else {
                out.note = "crawler user agent: recorded, not sent"
                return out
            }
            let name: CAPIEventName
            if let configured = pixel.configuredName(t.event) { name = CAPIEventName(configured) }
            else if t.event == "custom", let custom = t.customName { name = CAPIEventName(custom) }
            else if let mapped = PixelEventCatalog.metaNames[t.event], mapped != PixelEventCatalog.ownName { name = CAPIEventName(mapped) }
            else { throw InterpretError.unknownEvent(t.event) }
            let source = Self.trackSource(t, person: person)
            var custom: CAPICustomData?
            if t.value != nil || t.currency != nil || t.contentIds != nil {
                custom = CAPICustomData(value: t.value.map(CAPICustomData.browserValue), currency: t.currency, contentIds: t.contentIds)
            }
            let event = CAPIEvent(
                eventName: name, eventTime: Int(e.receivedAt / 1000), eventId: t.eventId ?? "th.\(e.id)",
                actionSource: source.actionSource,
                eventSourceUrl: source.eventSourceURL, referrerUrl: t.referrer,
                userData: CAPIUserData(hashed: Self.identity(hashed, telegramUser: t.telegramUser), fbc: person.fbc, fbp: person.fbp,
                                       clientIpAddress: person.ip, clientUserAgent: person.userAgent),
                customData: custom)
            var built = try outbound(event, pixel: pixel, envelope: e, now: now)
            built.userDataDropped = dropped
            if t.consent { out.events.append(built) } else { out.consentBlocked.append(built) }
        case .webhook:
            out.note = "webhook stored in the inbox"
        }
        return out
    }

    /// `action_source` and `event_source_url` of a `/track` or `/s2s` event. A bot's event about
    /// a Telegram user that names no page happened in the chat: `chat`, as the bot's `/start`
    /// (``TelegramStartDecision``) — not `website` with the click's landing page, which the
    /// person is no longer on. Everything else: ``ClickLending/source(userAgent:page:)``.
    static func trackSource(_ t: Envelope.Track, person: EndUserContext) -> (actionSource: CAPIActionSource, eventSourceURL: String?) {
        if t.telegramUser != nil, t.reportedBy == .server, MetaJSON.nonEmpty(t.pageUrl) == nil { return (.chat, nil) }
        return ClickLending.source(userAgent: person.userAgent, page: person.page)
    }

    /// The event's hashed identifiers plus, for a bot-reported event, the Telegram user's
    /// `external_id` — the same value the user's `/start` event carried, so Meta sees one person.
    static func identity(_ hashed: HashedUserData?, telegramUser: String?) -> HashedUserData {
        let own = hashed ?? HashedUserData()
        guard let telegramUser else { return own }
        return own.merging(HashedUserData(externalId: [telegramUser]))
    }

    private func outbound(_ event: CAPIEvent, pixel: DispatchConfig.Pixel, envelope: Envelope, now: Date) throws -> OutboundEvent {
        switch validator.verdict(for: event, now: now) {
        case .valid: break
        case .expired(let v): throw Rejected(reason: .expired, detail: v.map(\.description).joined(separator: "; "))
        case .invalid(let v): throw Rejected(reason: .validation, detail: v.map(\.description).joined(separator: "; "))
        }
        return OutboundEvent(pixel: pixel.id, envelopeID: envelope.id, event: event)
    }

    public enum InterpretError: Error, CustomStringConvertible {
        case missingBody(String)
        case unknownEvent(String)
        public var description: String {
            switch self {
            case .missingBody(let k): return "envelope of kind \(k) has no \(k) body"
            case .unknownEvent(let n): return "unknown track event \(n)"
            }
        }
    }
}
