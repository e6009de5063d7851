import Foundation

/// Reads the configuration `dispatchd apply` wrote into the one model, ``DispatchConfig``: for
/// dispatchd's workers and for the ingest snapshot (``SnapshotCompiler``).
public enum ConfigRepository {
    /// Loads every pixel, tenant, link and gateway account, opening tokens with `keys`.
    ///
    /// A token that cannot be opened (its key left the ring, the row was tampered with) does
    /// not fail the load — one bad pixel must not stop the others — but leaves that pixel's
    /// ``DispatchConfig/Pixel/accessToken`` nil with the reason in `tokenProblem`.
    public static func loadDispatchConfig(connection: PostgresConnection, keys: KeyRing) throws -> DispatchConfig {
        let pixelRows = try connection.query(
            """
            SELECT p.id, p.tenant_id, p.access_token_ciphertext, p.mode, p.test_event_code, p.max_events_per_second,
                   p.batch_size, p.send_click_as_pageview, p.event_names::text AS event_names, p.is_default, p.paused_reason
            FROM pixels p
            ORDER BY p.id
            """
        )
        var pixels: [String: DispatchConfig.Pixel] = [:]
        for row in pixelRows.indices {
            let id = try required(pixelRows, row, "id")
            var token: String?
            var tokenProblem: String?
            if let sealed = try pixelRows.string(row, "access_token_ciphertext") {
                do {
                    token = try keys.openString(Sealed(text: sealed),
                                                for: .pixelToken(tenant: try required(pixelRows, row, "tenant_id"), pixel: id))
                } catch {
                    tokenProblem = "access token cannot be opened: \(error)"
                }
            } else {
                tokenProblem = "no access token stored"
            }
            let modeText = try required(pixelRows, row, "mode")
            guard let mode = PixelMode(rawValue: modeText) else {
                throw ConfigError.storedDataUnreadable("pixel \(id): unknown mode \(modeText)")
            }
            var eventNames: [String: String] = [:]
            if let json = try pixelRows.string(row, "event_names") {
                guard let map = try? JSONDecoder().decode([String: String].self, from: Data(json.utf8)) else {
                    throw ConfigError.storedDataUnreadable("pixel \(id): event_names is not a map of event names")
                }
                eventNames = map
            }
            pixels[id] = DispatchConfig.Pixel(
                id: id,
                tenant: try required(pixelRows, row, "tenant_id"),
                accessToken: token,
                tokenProblem: tokenProblem,
                mode: mode,
                testEventCode: try pixelRows.string(row, "test_event_code"),
                maxEventsPerSecond: try pixelRows.int(row, "max_events_per_second") ?? ConfigResolver.defaultMaxEventsPerSecond,
                batchSize: try pixelRows.int(row, "batch_size") ?? ConfigResolver.defaultBatchSize,
                sendClickAsPageView: try pixelRows.bool(row, "send_click_as_pageview") ?? false,
                eventNames: eventNames,
                isDefault: try pixelRows.bool(row, "is_default") ?? false,
                pausedReason: try pixelRows.string(row, "paused_reason")
            )
        }

        let tenantRows = try connection.query(
            """
            SELECT t.id, t.name, t.default_country_code, t.default_country, t.allowed_origins, t.checkout_hosts,
                   t.attribution_window_days, t.sale_consent, d.id AS default_pixel
            FROM tenants t LEFT JOIN pixels d ON d.tenant_id = t.id AND d.is_default
            ORDER BY t.id
            """
        )
        var tenants: [String: DispatchConfig.Tenant] = [:]
        for row in tenantRows.indices {
            let id = try required(tenantRows, row, "id")
            tenants[id] = DispatchConfig.Tenant(
                id: id,
                name: try tenantRows.string(row, "name") ?? id,
                defaultPixel: try tenantRows.string(row, "default_pixel"),
                defaultCountryCallingCode: try tenantRows.string(row, "default_country_code") ?? ConfigResolver.defaultCountryCode,
                defaultCountry: try tenantRows.string(row, "default_country") ?? ConfigResolver.defaultCountry,
                allowedOrigins: try tenantRows.textArray(row, "allowed_origins")?.compactMap { $0 } ?? [],
                checkoutHosts: try tenantRows.textArray(row, "checkout_hosts")?.compactMap { $0 } ?? [],
                attributionWindowDays: try tenantRows.int(row, "attribution_window_days") ?? ConfigResolver.defaultAttributionWindowDays,
                saleConsent: try tenantRows.string(row, "sale_consent").flatMap(SaleConsentPolicy.init(rawValue:)) ?? .default
            )
        }

        let linkRows = try connection.query(
            """
            SELECT l.slug, l.tenant_id, coalesce(l.pixel_id, d.id) AS pixel_id, l.active, l.destination::text AS destination
            FROM links l LEFT JOIN pixels d ON d.tenant_id = l.tenant_id AND d.is_default
            """
        )
        var links: [String: DispatchConfig.Link] = [:]
        for row in linkRows.indices {
            let slug = try required(linkRows, row, "slug")
            let destination = try linkRows.string(row, "destination").flatMap {
                try? JSONDecoder().decode(LinkDestination.self, from: Data($0.utf8))
            }
            links[slug] = DispatchConfig.Link(
                slug: slug, tenant: try required(linkRows, row, "tenant_id"), pixel: try linkRows.string(row, "pixel_id"),
                active: try linkRows.bool(row, "active") ?? false, destination: destination)
        }

        let accountRows = try connection.query(
            """
            SELECT g.gateway, g.account, g.tenant_id, coalesce(g.pixel_id, d.id) AS pixel_id, g.settings::text AS settings,
                   g.api_token_ciphertext, g.secrets::text AS secrets
            FROM gateway_accounts g LEFT JOIN pixels d ON d.tenant_id = g.tenant_id AND d.is_default
            """
        )
        var accounts: [String: DispatchConfig.GatewayAccount] = [:]
        for row in accountRows.indices {
            let gatewayName = try required(accountRows, row, "gateway")
            let account = try required(accountRows, row, "account")
            guard let gateway = Gateway(rawValue: gatewayName) else {
                throw ConfigError.storedDataUnreadable("gateway account \(gatewayName)/\(account): unknown gateway")
            }
            var settings: [String: ConfigValue] = [:]
            if let json = try accountRows.string(row, "settings") {
                guard let object = (try? ConfigValue.parse(json: json))?.objectValue else {
                    throw ConfigError.storedDataUnreadable("gateway account \(gatewayName)/\(account): settings is not a map")
                }
                settings = object
            }
            var apiToken: String?
            var apiTokenProblem: String?
            if let sealed = try accountRows.string(row, "api_token_ciphertext") {
                do {
                    apiToken = try keys.openString(Sealed(text: sealed), for: .gatewayAPIToken(
                        tenant: try required(accountRows, row, "tenant_id"), gateway: gatewayName, account: account))
                } catch {
                    apiTokenProblem = "API token cannot be opened: \(error)"
                }
            }
            let value = DispatchConfig.GatewayAccount(
                gateway: gateway, account: account, tenant: try required(accountRows, row, "tenant_id"),
                pixel: try accountRows.string(row, "pixel_id"), settings: settings, apiToken: apiToken,
                apiTokenProblem: apiTokenProblem,
                webhookSecrets: (try? JSONDecoder().decode([String].self, from: Data((try accountRows.string(row, "secrets") ?? "[]").utf8)))?
                    .map { Sealed(text: $0) })
            accounts[value.key] = value
        }

        return DispatchConfig(pixels: pixels, tenants: tenants, links: links, gatewayAccounts: accounts)
    }

    private static func required(_ rows: PostgresRows, _ row: Int, _ column: String) throws -> String {
        guard let value = try rows.string(row, column) else {
            throw ConfigError.storedDataUnreadable("\(column) is NULL")
        }
        return value
    }
}
