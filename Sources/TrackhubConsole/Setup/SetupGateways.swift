import TrackhubCore

/// The gateways step 3 offers, in the order sellers meet them, and what the page needs for
/// each: the name of the secret as that gateway calls it and whether it also asks for an API
/// token (Mercado Pago's notifications carry only a payment id). The menu path of each is in
/// the strings (`setup_gw_<gateway>_steps`, reference console-alerts-telegram §3).
enum SetupGateways {
    static let all: [Gateway] = [.hotmart, .kiwify, .eduzz, .monetizze, .mercadopago, .stripe]

    static func name(_ gateway: Gateway) -> String {
        switch gateway {
        case .hotmart: "Hotmart"
        case .kiwify: "Kiwify"
        case .eduzz: "Eduzz"
        case .monetizze: "Monetizze"
        case .mercadopago: "Mercado Pago"
        case .stripe: "Stripe"
        case .telegram: "Telegram"
        }
    }

    /// Whether the account also needs an API token to read what a notification names.
    static func needsAPIToken(_ gateway: Gateway) -> Bool { gateway == .mercadopago }

    /// The variable the API token is sealed under: `TH_<GATEWAY>_<ACCOUNT>_API_TOKEN`.
    static func apiTokenVariable(gateway: String, account: String) -> String {
        String(TenantConfigDocument.webhookSecretVariable(gateway: gateway, account: account).dropLast("_SECRET".count)) + "_API_TOKEN"
    }

    /// The URL the seller pastes into the gateway: ingestd's public address + `/webhooks/{gateway}/{account}`.
    static func webhookURL(ingest: String, gateway: String, account: String) -> String {
        var base = ingest
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/webhooks/" + gateway + "/" + account
    }

    /// The URL for the ads: ingestd's public address + `/go/{slug}`.
    static func adsURL(ingest: String, slug: String) -> String {
        var base = ingest
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/go/" + slug
    }
}
