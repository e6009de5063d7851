/// Stable, namespaced log metadata keys. Operators grep for these (`click_id=…`), so they
/// never change spelling.
public enum LogKey {
    public static let clickID = "click_id"
    public static let eventID = "event_id"
    public static let envelopeID = "envelope_id"
    public static let orderID = "order_id"
    public static let pixel = "pixel"
    public static let slug = "slug"
    public static let tenant = "tenant"
    public static let gateway = "gateway"
    public static let account = "account"
    public static let stream = "stream"
    public static let durability = "durability"
    public static let attempt = "attempt"
    public static let outcome = "outcome"
    public static let reason = "reason"
    public static let error = "error"
    public static let consumer = "consumer"
}
