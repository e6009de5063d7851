/// A tenant's rule for sending its sales to Meta under the buyer's consent (issue 18, item 4),
/// chosen by the seller (the controller) in `tenants[].sale_consent`.
///
/// Browser events already follow the page's consent (`consent: false` → `consent_blocked`).
/// Sales usually rest on contract performance and legitimate interest, so by default they are
/// sent unless a signal says the buyer declined; a seller whose legal basis for measurement is
/// consent requires a signal that says the buyer agreed.
public enum SaleConsentPolicy: String, Sendable, CaseIterable, Codable {
    /// Sent unless the sale or its click says the buyer declined (the default).
    case honorDecline = "honor_decline"
    /// Sent only when the sale says the buyer agreed (`th_consent=1` in the payment's metadata).
    case requireGrant = "require_grant"

    public static let `default` = SaleConsentPolicy.honorDecline
}
