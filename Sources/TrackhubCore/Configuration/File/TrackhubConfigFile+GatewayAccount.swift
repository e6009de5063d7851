extension TrackhubConfigFile {
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
            unknownKeys = try decoder.unknownKeys(CodingKeys.self)
        }
    }
}
