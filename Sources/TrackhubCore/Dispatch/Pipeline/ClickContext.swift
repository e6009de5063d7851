public import Foundation

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
