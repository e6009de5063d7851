/// The page events a pixel can forward: the `/track/{event}` names and the Meta standard event
/// each one becomes (`pixels.event_names`, a map from the first to the second).
///
/// The single list of `/track` events: ingestd routes by it, dispatchd names events by it.
public enum PixelEventCatalog {
    /// The value stored for `custom`: such an event keeps the name the page gave it.
    public static let ownName = "*"

    /// Every event name a configuration may list, with the Meta event it becomes.
    public static let metaNames: [String: String] = [
        "pageview": CAPIEventName.pageView.rawValue,
        "view_content": CAPIEventName.viewContent.rawValue,
        "lead": CAPIEventName.lead.rawValue,
        "initiate_checkout": CAPIEventName.initiateCheckout.rawValue,
        "add_payment_info": CAPIEventName.addPaymentInfo.rawValue,
        "add_to_cart": CAPIEventName.addToCart.rawValue,
        "complete_registration": CAPIEventName.completeRegistration.rawValue,
        "contact": CAPIEventName.contact.rawValue,
        "subscribe": CAPIEventName.subscribe.rawValue,
        "start_trial": CAPIEventName.startTrial.rawValue,
        "search": CAPIEventName.search.rawValue,
        "custom": ownName,
    ]

    /// Events that go to the low-priority stream (browsing, not intent); the rest are `normal`.
    static let lowPriority: Set<String> = ["pageview", "view_content", "search"]

    /// The stream an accepted `/track` event goes to, or nil for an unknown event. The one place
    /// ingestd's `/track` route and `dispatchd dlq replay` take it from.
    public static func priority(of event: String) -> StreamPriority? {
        guard metaNames[event] != nil else { return nil }
        return lowPriority.contains(event) ? .low : .normal
    }

    /// The names in a stable order, for messages.
    public static var allNames: [String] { metaNames.keys.sorted() }
}
