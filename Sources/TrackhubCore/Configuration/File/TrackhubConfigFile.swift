public import Foundation
import Yams

/// The declarative configuration `dispatchd apply FILE` reads: tenants with their pixels,
/// tracking links and payment-gateway accounts. YAML (`.yaml`, `.yml`) or JSON (`.json`), with
/// snake_case keys; `config/example.yaml` is the annotated example.
///
/// The file never holds a secret: access tokens and webhook secrets are named by the
/// environment variable or file that holds them (`token_env`, `secret_file`, …) and read only
/// when the configuration is applied.
///
/// Decoding checks types only. Everything else — formats, references, duplicates, secrets that
/// cannot be read — is reported, all at once, by ``validate(environment:)``; so are keys this
/// version does not know (a misspelt `send_click_as_page_view` must not be silently ignored).
public struct TrackhubConfigFile: Codable, Sendable, Equatable {
    public var tenants: [Tenant]
    /// Where relative `token_file` / `secret_file` paths start: the file's directory when it
    /// was read by ``load(path:)``; nil means the working directory.
    public var baseDirectory: String?
    /// Top-level keys this version does not know.
    public var unknownKeys: [String]

    public init(tenants: [Tenant], baseDirectory: String? = nil) {
        self.tenants = tenants
        self.baseDirectory = baseDirectory
        self.unknownKeys = []
    }

    // MARK: - Model

    public struct Tenant: Codable, Sendable, Equatable {
        /// `[a-z0-9_-]{1,64}`; what `/track` bodies name in `tenant`.
        public var id: String
        /// A human name; defaults to the id.
        public var name: String?
        /// Country calling code added to phones written without one (digits; default `55`).
        public var defaultCountryCode: String?
        /// ISO 3166-1 alpha-2 country assumed for addresses without one (default `br`).
        public var defaultCountry: String?
        /// Landing-page origins allowed to call `/track` from a browser (`https://shop.example`).
        public var allowedOrigins: [String]
        public var pixels: [Pixel]
        public var links: [Link]
        public var gatewayAccounts: [GatewayAccount]
        public var unknownKeys: [String]

        public init(
            id: String, name: String? = nil, defaultCountryCode: String? = nil, defaultCountry: String? = nil,
            allowedOrigins: [String] = [], pixels: [Pixel] = [], links: [Link] = [], gatewayAccounts: [GatewayAccount] = []
        ) {
            self.id = id
            self.name = name
            self.defaultCountryCode = defaultCountryCode
            self.defaultCountry = defaultCountry
            self.allowedOrigins = allowedOrigins
            self.pixels = pixels
            self.links = links
            self.gatewayAccounts = gatewayAccounts
            self.unknownKeys = []
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, name
            case defaultCountryCode = "default_country_code"
            case defaultCountry = "default_country"
            case allowedOrigins = "allowed_origins"
            case pixels, links
            case gatewayAccounts = "gateway_accounts"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeText(.id) ?? ""
            name = try c.decodeText(.name)
            defaultCountryCode = try c.decodeText(.defaultCountryCode)
            defaultCountry = try c.decodeText(.defaultCountry)
            allowedOrigins = try c.decodeIfPresent([String].self, forKey: .allowedOrigins) ?? []
            pixels = try c.decodeIfPresent([Pixel].self, forKey: .pixels) ?? []
            links = try c.decodeIfPresent([Link].self, forKey: .links) ?? []
            gatewayAccounts = try c.decodeIfPresent([GatewayAccount].self, forKey: .gatewayAccounts) ?? []
            unknownKeys = try unknownKeyNames(decoder, CodingKeys.self)
        }
    }

    public struct Pixel: Codable, Sendable, Equatable {
        /// The Meta pixel (dataset) id: digits. Global: one pixel belongs to one tenant.
        public var id: String
        /// Environment variable holding the access token (exactly one of this and `tokenFile`).
        public var tokenEnv: String?
        /// File holding the access token (surrounding whitespace is ignored).
        public var tokenFile: String?
        /// `live`, `test` or `dry_run` (default `dry_run`).
        public var mode: String?
        /// Meta's test event code; required when `mode` is `test`.
        public var testEventCode: String?
        /// Throughput limit shared by every dispatchd instance (default 1000).
        public var maxEventsPerSecond: Int?
        /// Events per CAPI request, 1…1000 (default 500).
        public var batchSize: Int?
        /// Send each click on a tracking link as a PageView (default false).
        public var sendClickAsPageview: Bool?
        /// Which `/track` events this pixel forwards (see ``PixelEventCatalog``); nil = all.
        public var events: [String]?
        /// The tenant's default pixel (key `default`).
        public var isDefault: Bool?
        public var unknownKeys: [String]

        public init(
            id: String, tokenEnv: String? = nil, tokenFile: String? = nil, mode: String? = nil, testEventCode: String? = nil,
            maxEventsPerSecond: Int? = nil, batchSize: Int? = nil, sendClickAsPageview: Bool? = nil,
            events: [String]? = nil, isDefault: Bool? = nil
        ) {
            self.id = id
            self.tokenEnv = tokenEnv
            self.tokenFile = tokenFile
            self.mode = mode
            self.testEventCode = testEventCode
            self.maxEventsPerSecond = maxEventsPerSecond
            self.batchSize = batchSize
            self.sendClickAsPageview = sendClickAsPageview
            self.events = events
            self.isDefault = isDefault
            self.unknownKeys = []
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id
            case tokenEnv = "token_env"
            case tokenFile = "token_file"
            case mode
            case testEventCode = "test_event_code"
            case maxEventsPerSecond = "max_events_per_second"
            case batchSize = "batch_size"
            case sendClickAsPageview = "send_click_as_pageview"
            case events
            case isDefault = "default"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeText(.id) ?? ""
            tokenEnv = try c.decodeText(.tokenEnv)
            tokenFile = try c.decodeText(.tokenFile)
            mode = try c.decodeText(.mode)
            testEventCode = try c.decodeText(.testEventCode)
            maxEventsPerSecond = try c.decodeIfPresent(Int.self, forKey: .maxEventsPerSecond)
            batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize)
            sendClickAsPageview = try c.decodeIfPresent(Bool.self, forKey: .sendClickAsPageview)
            events = try c.decodeIfPresent([String].self, forKey: .events)
            isDefault = try c.decodeIfPresent(Bool.self, forKey: .isDefault)
            unknownKeys = try unknownKeyNames(decoder, CodingKeys.self)
        }
    }

    public struct Link: Codable, Sendable, Equatable {
        /// `[A-Za-z0-9_-]{1,64}`: the link is `/go/{slug}`. Global across tenants.
        public var slug: String
        /// The pixel clicks are attributed to; nil = the tenant's default pixel.
        public var pixel: String?
        /// Where the click goes, as written (`type`, `url`, `also_src`, `bots`, `parameter`);
        /// see ``destinationValue()``.
        public var destination: ConfigValue?
        public var unknownKeys: [String]

        public init(slug: String, pixel: String? = nil, destination: ConfigValue?) {
            self.slug = slug
            self.pixel = pixel
            self.destination = destination
            self.unknownKeys = []
        }

        /// A link with a typed destination (for programs that build configurations).
        public init(slug: String, pixel: String? = nil, destination: LinkDestination) throws {
            self.init(slug: slug, pixel: pixel, destination: try LinkDestinationMapping.configValue(destination))
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case slug, pixel, destination
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            slug = try c.decodeText(.slug) ?? ""
            pixel = try c.decodeText(.pixel)
            destination = try c.decodeIfPresent(ConfigValue.self, forKey: .destination)
            unknownKeys = try unknownKeyNames(decoder, CodingKeys.self)
        }

        /// The destination decoded, or the reasons it cannot be.
        public func destinationValue() -> Result<LinkDestination, LinkDestinationMapping.Failure> {
            guard let destination else { return .failure(.init(problems: ["is required"])) }
            return LinkDestinationMapping.decode(destination)
        }
    }

    public struct GatewayAccount: Codable, Sendable, Equatable {
        /// `hotmart`, `kiwify`, `eduzz`, `monetizze`, `mercadopago` or `stripe`.
        public var gateway: String
        /// `[A-Za-z0-9_-]{1,64}`: the webhook URL is `/webhooks/{gateway}/{account}`.
        public var account: String
        /// The pixel sales are sent to; nil = the tenant's default pixel.
        public var pixel: String?
        /// Where the webhook secret is: exactly one of `secret_env`, `secret_file`,
        /// `secrets_env` (several, during a rotation) and `secrets_file`.
        public var secretEnv: String?
        public var secretFile: String?
        public var secretsEnv: [String]?
        public var secretsFile: [String]?
        /// Optional API token (Mercado Pago's access token, to fetch a notified payment).
        public var apiTokenEnv: String?
        public var apiTokenFile: String?
        /// Free-form per-account settings, stored as `jsonb` (e.g. `pending_event`).
        public var settings: ConfigValue?
        public var unknownKeys: [String]

        public init(
            gateway: String, account: String, pixel: String? = nil, secretEnv: String? = nil, secretFile: String? = nil,
            secretsEnv: [String]? = nil, secretsFile: [String]? = nil, apiTokenEnv: String? = nil, apiTokenFile: String? = nil,
            settings: ConfigValue? = nil
        ) {
            self.gateway = gateway
            self.account = account
            self.pixel = pixel
            self.secretEnv = secretEnv
            self.secretFile = secretFile
            self.secretsEnv = secretsEnv
            self.secretsFile = secretsFile
            self.apiTokenEnv = apiTokenEnv
            self.apiTokenFile = apiTokenFile
            self.settings = settings
            self.unknownKeys = []
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case gateway, account, pixel
            case secretEnv = "secret_env"
            case secretFile = "secret_file"
            case secretsEnv = "secrets_env"
            case secretsFile = "secrets_file"
            case apiTokenEnv = "api_token_env"
            case apiTokenFile = "api_token_file"
            case settings
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            gateway = try c.decodeText(.gateway) ?? ""
            account = try c.decodeText(.account) ?? ""
            pixel = try c.decodeText(.pixel)
            secretEnv = try c.decodeText(.secretEnv)
            secretFile = try c.decodeText(.secretFile)
            secretsEnv = try c.decodeIfPresent([String].self, forKey: .secretsEnv)
            secretsFile = try c.decodeIfPresent([String].self, forKey: .secretsFile)
            apiTokenEnv = try c.decodeText(.apiTokenEnv)
            apiTokenFile = try c.decodeText(.apiTokenFile)
            settings = try c.decodeIfPresent(ConfigValue.self, forKey: .settings)
            unknownKeys = try unknownKeyNames(decoder, CodingKeys.self)
        }
    }

    // MARK: - Codable

    enum CodingKeys: String, CodingKey, CaseIterable {
        case tenants
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tenants = try c.decodeIfPresent([Tenant].self, forKey: .tenants) ?? []
        baseDirectory = nil
        unknownKeys = try unknownKeyNames(decoder, CodingKeys.self)
    }

    // MARK: - Loading

    /// Why a configuration file could not be read. Messages name the file and the place in it,
    /// never a value from it.
    public enum LoadError: Error, CustomStringConvertible, Equatable {
        case unreadable(path: String)
        case unsupportedExtension(path: String)
        /// Not well-formed YAML / JSON.
        case syntax(path: String, message: String)
        /// Well-formed, but a value has the wrong type (a list where a map belongs, text where
        /// a number belongs…).
        case shape(path: String, at: String, message: String)

        public var description: String {
            switch self {
            case .unreadable(let path): return "\(path): cannot be read"
            case .unsupportedExtension(let path): return "\(path): use a .yaml, .yml or .json file"
            case .syntax(let path, let message): return "\(path): \(message)"
            case .shape(let path, let at, let message): return at.isEmpty ? "\(path): \(message)" : "\(path): \(at): \(message)"
            }
        }
    }

    /// Reads a configuration file, YAML or JSON by its extension.
    public static func load(path: String) throws -> TrackhubConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError.unreadable(path: path) }
        let text = String(decoding: data, as: UTF8.self)
        var file: TrackhubConfigFile
        switch (path as NSString).pathExtension.lowercased() {
        case "yaml", "yml": file = try parse(yaml: text, name: path)
        case "json": file = try parse(json: text, name: path)
        default: throw LoadError.unsupportedExtension(path: path)
        }
        let directory = (path as NSString).deletingLastPathComponent
        file.baseDirectory = directory.isEmpty ? nil : directory
        return file
    }

    /// Parses YAML text; `name` labels errors.
    public static func parse(yaml text: String, name: String = "configuration") throws -> TrackhubConfigFile {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw LoadError.syntax(path: name, message: Self.describe(error))
        } catch {
            throw LoadError.syntax(path: name, message: "not valid YAML")
        }
        guard let node else { return TrackhubConfigFile(tenants: []) }
        do {
            return try YAMLDecoder().decode(TrackhubConfigFile.self, from: node)
        } catch let error as DecodingError {
            throw Self.shapeError(error, name: name)
        } catch let error as YamlError {
            throw LoadError.syntax(path: name, message: Self.describe(error))
        }
    }

    /// Parses JSON text; `name` labels errors.
    public static func parse(json text: String, name: String = "configuration") throws -> TrackhubConfigFile {
        do {
            return try JSONDecoder().decode(TrackhubConfigFile.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                throw LoadError.syntax(path: name, message: "not valid JSON")
            }
            throw Self.shapeError(error, name: name)
        }
    }

    /// The file as JSON (snake_case keys), e.g. to show what was understood.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Yams' messages quote the document around the error, which is fine for a file that holds
    /// no secrets; only the first line is kept, with the line and column.
    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "line \(mark.line), column \(mark.column): \(problem)"
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicate keys in one map: \(duplicates.joined(separator: ", "))"
        default:
            return String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "not valid YAML"
        }
    }

    private static func shapeError(_ error: DecodingError, name: String) -> LoadError {
        switch error {
        case .typeMismatch(let type, let context):
            return .shape(path: name, at: ConfigPath.render(context.codingPath), message: "must be \(expectation(type))")
        case .valueNotFound(let type, let context):
            return .shape(path: name, at: ConfigPath.render(context.codingPath), message: "must be \(expectation(type)), not empty")
        case .keyNotFound(let key, let context):
            return .shape(path: name, at: ConfigPath.render(context.codingPath + [key]), message: "is required")
        case .dataCorrupted(let context):
            return .shape(path: name, at: ConfigPath.render(context.codingPath), message: "has an unreadable value")
        @unknown default:
            return .shape(path: name, at: "", message: "does not have the expected shape")
        }
    }

    private static func expectation(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "a whole number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "text"
        case is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list" }
            if name.hasPrefix("Dictionary") || name.contains("KeyedDecodingContainer") { return "a map" }
            return "a map"
        }
    }
}

/// Renders coding paths as `tenants[0].pixels[1].token_env`.
enum ConfigPath {
    static func render(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue, key.stringValue == String(index) || key.stringValue.hasPrefix("Index ") {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }
}

extension KeyedDecodingContainer {
    /// Text, also accepting a number written without quotes (`id: 1234567890` in YAML is an
    /// integer, and so is a JSON number), so ids and codes read as written.
    func decodeText(_ key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let text = try? decode(String.self, forKey: key) { return text }
        if let number = try? decode(Int.self, forKey: key) { return String(number) }
        return try decode(String.self, forKey: key)  // throws the type mismatch
    }
}

/// The keys of the map being decoded that `Keys` does not name.
private func unknownKeyNames<Keys: CodingKey & CaseIterable>(_ decoder: any Decoder, _: Keys.Type) throws -> [String] {
    let known = Set(Keys.allCases.map(\.stringValue))
    let present = try decoder.container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue)
    return present.filter { !known.contains($0) }.sorted()
}
