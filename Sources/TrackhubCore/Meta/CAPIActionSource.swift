/// `action_source`: where the conversion happened. Required on every event.
///
/// Exactly Meta's documented values. `website` carries extra requirements (`event_source_url`
/// and `client_user_agent`, see `CAPIEventValidator`); a purchase confirmed only by a payment
/// gateway, with no browser data, is better sent as `systemGenerated` or `other`.
public enum CAPIActionSource: String, Sendable, Hashable, Codable, CaseIterable {
    case email
    case website
    case app
    case phoneCall = "phone_call"
    case chat
    case physicalStore = "physical_store"
    case systemGenerated = "system_generated"
    case businessMessaging = "business_messaging"
    case other
}
