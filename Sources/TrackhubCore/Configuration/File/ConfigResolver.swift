import Foundation

/// Checks a ``TrackhubConfigFile`` and, when it has no error, resolves it.
struct ConfigResolver {
    let file: TrackhubConfigFile
    let environment: [String: String]

    static let defaultMode = PixelMode.dryRun
    static let defaultMaxEventsPerSecond = 1000
    static let maxEventsPerSecondLimit = 1_000_000
    static let defaultBatchSize = 500
    static let batchSizeRange = 1...1000
    static let defaultCountryCode = "55"
    static let defaultCountry = "br"

    /// Gathers problems in file order.
    final class Collector {
        var problems: [ConfigProblem] = []
        func error(_ path: String, _ message: String) { problems.append(ConfigProblem(path, message)) }
        func warning(_ path: String, _ message: String) { problems.append(ConfigProblem(path, message, severity: .warning)) }
        func unknown(_ path: String, _ keys: [String]) {
            for key in keys { error(path.isEmpty ? key : "\(path).\(key)", "is not a setting Trackhub knows (misspelt?)") }
        }
    }

    func run() -> (problems: [ConfigProblem], resolved: ResolvedConfiguration?) {
        let out = Collector()
        out.unknown("", file.unknownKeys)
        if file.tenants.isEmpty { out.error("tenants", "the file defines no tenant") }

        // Global indexes first, so references and duplicates can name where the other one is.
        var tenantAt: [String: String] = [:]
        var pixelOwner: [String: (tenant: String, path: String)] = [:]
        var slugAt: [String: String] = [:]
        var accountAt: [String: String] = [:]
        for (t, tenant) in file.tenants.enumerated() {
            for (p, pixel) in tenant.pixels.enumerated() where !pixel.id.isEmpty && pixelOwner[pixel.id] == nil {
                pixelOwner[pixel.id] = (tenant.id, "tenants[\(t)].pixels[\(p)]")
            }
        }

        var tenants: [ResolvedConfiguration.Tenant] = []
        for (t, tenant) in file.tenants.enumerated() {
            let at = "tenants[\(t)]"
            out.unknown(at, tenant.unknownKeys)
            if tenant.id.isEmpty {
                out.error("\(at).id", "is required")
            } else if !Self.isTenantID(tenant.id) {
                out.error("\(at).id", "'\(tenant.id)' must be 1–64 characters of a–z, 0–9, '_' and '-'")
            } else if let first = tenantAt[tenant.id] {
                out.error("\(at).id", "tenant '\(tenant.id)' is already defined at \(first)")
            } else {
                tenantAt[tenant.id] = at
            }
            let name = tenant.name ?? tenant.id
            if tenant.name != nil, name.trimmingCharacters(in: .whitespaces).isEmpty {
                out.error("\(at).name", "must not be empty (leave it out to use the id)")
            } else if name.count > 200 {
                out.error("\(at).name", "must be at most 200 characters")
            }

            var countryCode = Self.defaultCountryCode
            if let raw = tenant.defaultCountryCode {
                let digits = raw.hasPrefix("+") ? String(raw.dropFirst()) : raw
                if (1...4).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.first != "0" {
                    countryCode = digits
                } else {
                    out.error("\(at).default_country_code", "'\(raw)' must be a country calling code such as 55 (1–4 digits)")
                }
            }
            var country = Self.defaultCountry
            if let raw = tenant.defaultCountry {
                if let normalized = MetaNormalize.country(raw) {
                    country = normalized
                } else {
                    out.error("\(at).default_country", "'\(raw)' is not a country (use ISO 3166 alpha-2, e.g. br)")
                }
            }

            var origins: [String] = []
            for (o, origin) in tenant.allowedOrigins.enumerated() {
                let path = "\(at).allowed_origins[\(o)]"
                if let problem = Self.originProblem(origin) {
                    out.error(path, problem)
                } else if origins.contains(origin) {
                    out.warning(path, "'\(origin)' is listed twice")
                } else {
                    origins.append(origin)
                }
            }

            let checkoutHosts = Self.checkoutHosts(tenant.checkoutHosts ?? [], at: at, out)
            var windowDays = Self.defaultAttributionWindowDays
            if let days = tenant.attributionWindowDays {
                if Self.attributionWindowRange.contains(days) { windowDays = days } else {
                    out.error("\(at).attribution_window_days",
                              "\(days) must be between \(Self.attributionWindowRange.lowerBound) and \(Self.attributionWindowRange.upperBound) days")
                }
            }

            var saleConsent = SaleConsentPolicy.default
            if let raw = tenant.saleConsent {
                if let policy = SaleConsentPolicy(rawValue: raw) { saleConsent = policy } else {
                    out.error("\(at).sale_consent",
                              "'\(raw)' is not a policy: use \(SaleConsentPolicy.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or "))")
                }
            }

            let retention = Self.retention(tenant.retention ?? [:], windowDays: windowDays, at: at, out)

            // Pixels.
            var pixels: [ResolvedConfiguration.Pixel] = []
            var pixelIDs: Set<String> = []
            for (p, pixel) in tenant.pixels.enumerated() {
                let pat = "\(at).pixels[\(p)]"
                out.unknown(pat, pixel.unknownKeys)
                if pixel.id.isEmpty {
                    out.error("\(pat).id", "is required")
                } else if !Self.isPixelID(pixel.id) {
                    out.error("\(pat).id", "'\(pixel.id)' must be the Meta pixel id: digits only")
                } else if let first = pixelOwner[pixel.id], first.path != pat {
                    out.error("\(pat).id", "pixel \(pixel.id) is already defined at \(first.path)")
                }
                pixelIDs.insert(pixel.id)

                let token = readOne(
                    out, pat, what: "the access token", env: (pixel.tokenEnv, "token_env"), file: (pixel.tokenFile, "token_file"))

                var mode = Self.defaultMode
                if let raw = pixel.mode {
                    if let parsed = PixelMode(rawValue: raw) {
                        mode = parsed
                    } else {
                        out.error("\(pat).mode", "'\(raw)' must be live, test or dry_run")
                    }
                }
                var testCode: String?
                if let code = pixel.testEventCode {
                    if !Self.isTestEventCode(code) {
                        out.error("\(pat).test_event_code", "must be 1–64 letters and digits, as Events Manager shows it")
                    } else {
                        testCode = code
                        if pixel.mode != nil, mode != .test {
                            out.warning("\(pat).test_event_code", "is only used when mode is test")
                        }
                    }
                } else if mode == .test {
                    out.error("\(pat).test_event_code", "is required when mode is test (copy it from Events Manager → Test events)")
                }
                let rate = pixel.maxEventsPerSecond ?? Self.defaultMaxEventsPerSecond
                if !(1...Self.maxEventsPerSecondLimit).contains(rate) {
                    out.error("\(pat).max_events_per_second", "must be between 1 and \(Self.maxEventsPerSecondLimit)")
                }
                let batch = pixel.batchSize ?? Self.defaultBatchSize
                if !Self.batchSizeRange.contains(batch) {
                    out.error("\(pat).batch_size", "must be between 1 and 1000 (Meta takes at most 1000 events per request)")
                }
                var eventNames: [String: String] = [:]
                if let events = pixel.events {
                    for (e, event) in events.enumerated() {
                        if let meta = PixelEventCatalog.metaNames[event] {
                            if eventNames[event] != nil { out.warning("\(pat).events[\(e)]", "'\(event)' is listed twice") }
                            eventNames[event] = meta
                        } else {
                            out.error("\(pat).events[\(e)]", "'\(event)' is not an event (use: \(PixelEventCatalog.allNames.joined(separator: ", ")))")
                        }
                    }
                } else {
                    eventNames = PixelEventCatalog.metaNames
                }
                if let token {
                    pixels.append(ResolvedConfiguration.Pixel(
                        id: pixel.id, token: token, mode: mode, testEventCode: testCode, maxEventsPerSecond: rate,
                        batchSize: batch, sendClickAsPageview: pixel.sendClickAsPageview ?? false, eventNames: eventNames,
                        isDefault: pixel.isDefault ?? false))
                }
            }

            // The default pixel.
            var defaultPixel: String?
            let marked = tenant.pixels.indices.filter { tenant.pixels[$0].isDefault == true }
            if marked.count == 1 {
                defaultPixel = tenant.pixels[marked[0]].id
            } else if marked.count > 1 {
                for index in marked.dropFirst() {
                    out.error("\(at).pixels[\(index)].default", "pixel \(tenant.pixels[marked[0]].id) is already this tenant's default; only one pixel can be")
                }
            } else if tenant.pixels.count == 1 {
                defaultPixel = tenant.pixels[0].id
            } else if tenant.pixels.count > 1 {
                out.error("\(at).pixels", "mark exactly one pixel with default: true (the pixel for links and accounts that name none)")
            }
            for index in pixels.indices { pixels[index].isDefault = pixels[index].id == defaultPixel }

            func pixelReference(_ reference: String?, parent: String, what: String) -> String? {
                let path = parent + ".pixel"
                guard let reference else {
                    if tenant.pixels.isEmpty {
                        out.warning(parent, "tenant \(tenant.id) has no pixel: \(what) are recorded but not sent to Meta")
                    }
                    return defaultPixel
                }
                if pixelIDs.contains(reference) { return reference }
                if let owner = pixelOwner[reference] {
                    out.error(path, "pixel \(reference) belongs to tenant \(owner.tenant), not \(tenant.id)")
                } else {
                    out.error(path, "there is no pixel \(reference) in tenant \(tenant.id)")
                }
                return nil
            }

            // Links.
            var links: [ResolvedConfiguration.Link] = []
            for (l, link) in tenant.links.enumerated() {
                let lat = "\(at).links[\(l)]"
                out.unknown(lat, link.unknownKeys)
                if link.slug.isEmpty {
                    out.error("\(lat).slug", "is required")
                } else if !Self.isSlug(link.slug) {
                    out.error("\(lat).slug", "'\(link.slug)' must be 1–64 characters of A–Z, a–z, 0–9, '_' and '-'")
                } else if let first = slugAt[link.slug] {
                    out.error("\(lat).slug", "link '\(link.slug)' is already defined at \(first) (slugs are shared by all tenants)")
                } else {
                    slugAt[link.slug] = lat
                }
                let pixel = pixelReference(link.pixel, parent: lat, what: "its clicks")
                switch link.destinationValue() {
                case .failure(let failure):
                    for problem in failure.problems { out.error("\(lat).destination", problem) }
                case .success(let destination):
                    let problems = DestinationURLBuilder.validate(destination)
                    for problem in problems { out.error("\(lat).destination", problem) }
                    if problems.isEmpty {
                        links.append(ResolvedConfiguration.Link(slug: link.slug, pixel: pixel, destination: destination))
                    }
                }
            }

            // Gateway accounts.
            var accounts: [ResolvedConfiguration.Account] = []
            for (g, account) in tenant.gatewayAccounts.enumerated() {
                let gat = "\(at).gateway_accounts[\(g)]"
                out.unknown(gat, account.unknownKeys)
                let gateway = Gateway(rawValue: account.gateway)
                if account.gateway.isEmpty {
                    out.error("\(gat).gateway", "is required")
                } else if gateway == nil {
                    out.error("\(gat).gateway", "'\(account.gateway)' must be one of \(Gateway.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                if account.account.isEmpty {
                    out.error("\(gat).account", "is required")
                } else if !Self.isSlug(account.account) {
                    out.error("\(gat).account", "'\(account.account)' must be 1–64 characters of A–Z, a–z, 0–9, '_' and '-'")
                } else if gateway != nil {
                    let key = account.gateway + "/" + account.account
                    if let first = accountAt[key] {
                        out.error("\(gat).account", "\(key) is already defined at \(first)")
                    } else {
                        accountAt[key] = gat
                    }
                }
                let pixel = pixelReference(account.pixel, parent: gat, what: "its sales")
                let secrets = readSecrets(out, gat, account)
                var apiToken: String?
                if account.apiTokenEnv != nil || account.apiTokenFile != nil {
                    apiToken = readOne(
                        out, gat, what: "the API token", env: (account.apiTokenEnv, "api_token_env"),
                        file: (account.apiTokenFile, "api_token_file"))
                } else if gateway == .mercadopago {
                    out.warning(gat, "Mercado Pago notifications carry only a payment id: set api_token_env (the account's access token) so the payment can be fetched")
                }
                if gateway == .telegram {
                    checkTelegramBot(account, secrets: secrets, apiToken: apiToken, path: gat, out)
                }
                var settings = ConfigValue.object([:])
                if let given = account.settings {
                    switch given {
                    case .object(let map):
                        settings = given
                        if gateway != .telegram { checkSaleEventSettings(map, path: "\(gat).settings", out) }
                    case .null: break
                    default: out.error("\(gat).settings", "must be a map (key: value), not \(given.kindName)")
                    }
                }
                if let gateway, let secrets {
                    accounts.append(ResolvedConfiguration.Account(
                        gateway: gateway, account: account.account, pixel: pixel, secrets: secrets, apiToken: apiToken,
                        settings: settings))
                }
            }

            tenants.append(ResolvedConfiguration.Tenant(
                id: tenant.id, name: name, defaultCountryCode: countryCode, defaultCountry: country, allowedOrigins: origins,
                checkoutHosts: checkoutHosts, attributionWindowDays: windowDays, saleConsent: saleConsent, retention: retention, pixels: pixels, links: links,
                accounts: accounts))
        }

        let problems = out.problems
        return (problems, problems.contains(where: \.isError) ? nil : ResolvedConfiguration(tenants: tenants))
    }
}
