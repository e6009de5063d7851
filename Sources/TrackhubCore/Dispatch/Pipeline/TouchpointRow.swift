public import Foundation

/// A click or page event as stored in `touchpoints` (hashed identities only).
public struct TouchpointRow: Sendable, Equatable {
    public var envelopeID: String
    public var tenant: String
    public var kind: String
    public var clickID: String?
    public var sessionID: String?
    public var eventID: String?
    public var fbp: String?
    public var fbc: String?
    public var ip: String?
    public var userAgent: String?
    public var pageURL: String?
    public var referrer: String?
    public var utmJSON: String?
    public var emailHash: String?
    public var phoneHash: String?
    public var consent: Bool
    public var occurredAt: Date
    /// The tracking link a click came through (its slug): the link dimension of the rollups.
    public var linkSlug: String?

    public init(envelopeID: String, tenant: String, kind: String, clickID: String? = nil, sessionID: String? = nil,
                eventID: String? = nil, fbp: String? = nil, fbc: String? = nil, ip: String? = nil, userAgent: String? = nil,
                pageURL: String? = nil, referrer: String? = nil, utmJSON: String? = nil, emailHash: String? = nil,
                phoneHash: String? = nil, consent: Bool = true, occurredAt: Date, linkSlug: String? = nil) {
        self.envelopeID = envelopeID; self.tenant = tenant; self.kind = kind; self.clickID = clickID
        self.sessionID = sessionID; self.eventID = eventID; self.fbp = fbp; self.fbc = fbc; self.ip = ip
        self.userAgent = userAgent; self.pageURL = pageURL; self.referrer = referrer; self.utmJSON = utmJSON
        self.emailHash = emailHash; self.phoneHash = phoneHash; self.consent = consent; self.occurredAt = occurredAt
        self.linkSlug = linkSlug
    }
}
