import Foundation

/// A pixel (dataset) as the fake's Graph pixel read answers it: the fields of
/// `GET /{version}/{pixel-id}?fields=id,name,is_unavailable,last_fired_time,creation_time`
/// (reference: console-alerts-telegram §1.2).
public struct FakeMetaPixel: Sendable, Equatable {
    public var name: String
    public var isUnavailable: Bool
    /// nil: the pixel never fired (Graph leaves the field out).
    public var lastFiredTime: String?
    public var creationTime: String

    public init(name: String, isUnavailable: Bool = false, lastFiredTime: String? = nil,
                creationTime: String = "2026-01-15T12:00:00+0000") {
        self.name = name
        self.isUnavailable = isUnavailable
        self.lastFiredTime = lastFiredTime
        self.creationTime = creationTime
    }
}
