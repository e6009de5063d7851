/// A payment gateway's checkout host and the query parameter that gateway hands back to
/// Trackhub in its webhook (docs/MATCHING.md, "click-id carriers"): Hotmart `origin.sck`,
/// Kiwify `TrackingParameters.sck`, Eduzz `utm.content`, Monetizze `venda[src]`, Stripe Payment
/// Links `client_reference_id`. Mercado Pago and Stripe Checkout Sessions are created by the
/// seller's server, which passes `trackhub.clickId` in the payment's metadata instead.
///
/// The one list: `/t.js` decorates links to these hosts, and the console's landing-page check
/// (setup step 5) counts the links on a page that `/t.js` will decorate.
public struct CheckoutHost: Sendable, Equatable {
    /// The host; any subdomain of it matches too (`pay.hotmart.com`).
    public var host: String
    /// The query parameter the click id goes in.
    public var parameter: String
    /// The gateway's name as sellers write it.
    public var gateway: String

    public static let all: [CheckoutHost] = [
        CheckoutHost(host: "hotmart.com", parameter: "sck", gateway: "Hotmart"),
        CheckoutHost(host: "kiwify.com.br", parameter: "sck", gateway: "Kiwify"),
        CheckoutHost(host: "eduzz.com", parameter: "utm_content", gateway: "Eduzz"),
        CheckoutHost(host: "monetizze.com.br", parameter: "src", gateway: "Monetizze"),
        CheckoutHost(host: "buy.stripe.com", parameter: "client_reference_id", gateway: "Stripe"),
    ]

    /// `host=param …`, the form `/t.js` embeds.
    public static let scriptList = all.map { $0.host + "=" + $0.parameter }.joined(separator: " ")

    /// The entry whose host is `host` or a parent domain of it (case-insensitive), else nil.
    public static func matching(host: String) -> CheckoutHost? {
        let host = host.lowercased()
        return all.first { host == $0.host || host.hasSuffix("." + $0.host) }
    }
}
