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

    public init(envelopeID: String, tenant: String, kind: String, clickID: String? = nil, sessionID: String? = nil,
                eventID: String? = nil, fbp: String? = nil, fbc: String? = nil, ip: String? = nil, userAgent: String? = nil,
                pageURL: String? = nil, referrer: String? = nil, utmJSON: String? = nil, emailHash: String? = nil,
                phoneHash: String? = nil, consent: Bool = true, occurredAt: Date) {
        self.envelopeID = envelopeID; self.tenant = tenant; self.kind = kind; self.clickID = clickID
        self.sessionID = sessionID; self.eventID = eventID; self.fbp = fbp; self.fbc = fbc; self.ip = ip
        self.userAgent = userAgent; self.pageURL = pageURL; self.referrer = referrer; self.utmJSON = utmJSON
        self.emailHash = emailHash; self.phoneHash = phoneHash; self.consent = consent; self.occurredAt = occurredAt
    }
}

/// What an earlier click contributes to a later event of the same person.
public struct ClickContext: Sendable, Equatable {
    public var clickID: String
    public var fbc: String?
    public var fbp: String?
    public var ip: String?
    public var userAgent: String?
    public var occurredAt: Date
    /// The touchpoint row id (for `matches`).
    public var touchpointID: Int64?
    /// The page the person was sent to / was on.
    public var pageURL: String?
    /// The tenant the click belongs to (a click id from another tenant must never be used).
    public var tenant: String?

    public init(clickID: String, fbc: String?, fbp: String?, ip: String?, userAgent: String?, occurredAt: Date,
                touchpointID: Int64? = nil, pageURL: String? = nil, tenant: String? = nil) {
        self.clickID = clickID; self.fbc = fbc; self.fbp = fbp; self.ip = ip; self.userAgent = userAgent
        self.occurredAt = occurredAt; self.touchpointID = touchpointID; self.pageURL = pageURL; self.tenant = tenant
    }
}
