/// The `event_name` of a server event: one of Meta's standard events or a custom name.
///
/// A string wrapper rather than an enum because custom events are legitimate; the constants
/// spell the standard names exactly as Meta expects them (case matters for deduplication with
/// the browser pixel, which must send the same name).
public struct CAPIEventName: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static let addPaymentInfo: CAPIEventName = "AddPaymentInfo"
    public static let addToCart: CAPIEventName = "AddToCart"
    public static let addToWishlist: CAPIEventName = "AddToWishlist"
    public static let completeRegistration: CAPIEventName = "CompleteRegistration"
    public static let contact: CAPIEventName = "Contact"
    public static let customizeProduct: CAPIEventName = "CustomizeProduct"
    public static let donate: CAPIEventName = "Donate"
    public static let findLocation: CAPIEventName = "FindLocation"
    public static let initiateCheckout: CAPIEventName = "InitiateCheckout"
    public static let lead: CAPIEventName = "Lead"
    public static let pageView: CAPIEventName = "PageView"
    public static let purchase: CAPIEventName = "Purchase"
    public static let schedule: CAPIEventName = "Schedule"
    public static let search: CAPIEventName = "Search"
    public static let startTrial: CAPIEventName = "StartTrial"
    public static let submitApplication: CAPIEventName = "SubmitApplication"
    public static let subscribe: CAPIEventName = "Subscribe"
    public static let viewContent: CAPIEventName = "ViewContent"
}
