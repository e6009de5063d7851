/// The one model of the declarative configuration (`dispatchd apply`) as Postgres holds it:
/// tenants, pixels, links and gateway accounts. ``ConfigRepository`` reads it; dispatchd's
/// workers decide with it (through ``ConfigHolder``); ``SnapshotCompiler`` derives ingestd's
/// wire snapshot (``IngestSnapshot``) from it, so no other copy of these concepts exists.
///
/// Holds access tokens in clear, so every description of it — `description`,
/// `debugDescription`, `dump` — is redacted: it can be logged whole.
public struct DispatchConfig: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var pixels: [String: Pixel]
    public var tenants: [String: Tenant]
    /// By slug, active and inactive.
    public var links: [String: Link]
    /// By `gateway/account` (``GatewayAccount/key``).
    public var gatewayAccounts: [String: GatewayAccount]

    public init(pixels: [String: Pixel], tenants: [String: Tenant], links: [String: Link] = [:],
                gatewayAccounts: [String: GatewayAccount] = [:]) {
        self.pixels = pixels
        self.tenants = tenants
        self.links = links
        self.gatewayAccounts = gatewayAccounts
    }

    // MARK: Look-ups

    public func pixel(_ id: String) -> Pixel? { pixels[id] }

    /// The pixel for an event of `tenant`: `preferred` (a link's or account's pixel) when it
    /// exists, else the tenant's default.
    public func pixel(tenant: String, preferred: String?) -> Pixel? {
        if let preferred, let pixel = pixels[preferred] { return pixel }
        return defaultPixel(tenant: tenant)
    }

    /// The pixel a click on `slug` is attributed to.
    public func pixel(forLink slug: String) -> Pixel? { links[slug]?.pixel.flatMap { pixels[$0] } }

    /// The tenant's default pixel.
    public func defaultPixel(tenant: String) -> Pixel? { tenants[tenant]?.defaultPixel.flatMap { pixels[$0] } }

    public func gatewayAccount(gateway: String, account: String) -> GatewayAccount? {
        gatewayAccounts[GatewayAccount.key(gateway: gateway, account: account)]
    }

    /// The pixel a sale through this gateway account goes to.
    public func pixel(gateway: String, account: String) -> Pixel? {
        gatewayAccount(gateway: gateway, account: account)?.pixel.flatMap { pixels[$0] }
    }

    // MARK: Descriptions (redacted)

    public var description: String {
        "DispatchConfig(tenants: \(tenants.count), pixels: \(pixels.count), links: \(links.count), gateway accounts: \(gatewayAccounts.count); "
            + pixels.keys.sorted().compactMap { pixels[$0]?.description }.joined(separator: "; ") + ")"
    }

    public var debugDescription: String {
        ([description]
            + tenants.keys.sorted().compactMap { tenants[$0]?.description }
            + links.keys.sorted().compactMap { links[$0]?.description }
            + gatewayAccounts.keys.sorted().compactMap { gatewayAccounts[$0]?.description })
            .joined(separator: "\n")
    }

    public var customMirror: Mirror { Mirror(self, children: ["summary": description]) }
}
