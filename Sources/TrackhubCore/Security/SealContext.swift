public import Foundation

/// What a sealed value is bound to: its purpose, its tenant and its record. The one place the
/// AES-GCM associated data is built, so a ciphertext copied onto another field, another record
/// or another tenant's row does not open (``KeyRing/open(_:for:)`` fails authentication).
///
/// Two forms, named by the sealed text's version prefix (``Sealed/Form``):
/// - `v2` (bound, what every writer seals since issue 18): ``associatedData``, the purpose,
///   the tenant and the record's parts, each length-prefixed so no two contexts give the
///   same bytes;
/// - `v1` (purpose-only, sealed before): ``purposeOnlyData``, the purpose string alone.
///   Still opened while `dispatchd secrets rotate` migrates them (docs/PRIVACY.md).
public struct SealContext: Sendable, Hashable, CustomStringConvertible {
    /// Which field a value belongs to: a closed vocabulary, one constant per field.
    public struct Purpose: Sendable, Hashable, CustomStringConvertible {
        /// The string bound as associated data (the whole of it in the `v1` form).
        public let name: String
        private init(_ name: String) { self.name = name }

        public static let pixelToken = Purpose("pixel.token")
        public static let gatewaySecret = Purpose("gateway.secret")
        public static let gatewayAPIToken = Purpose("gateway.api_token")
        public static let consoleSecret = Purpose("console.secret")
        public static let adAccountToken = Purpose("ad_account.token")
        public static let alertBotToken = Purpose("alert-telegram-bot-token")
        public static let envelopeUser = Purpose("envelope.user")
        public static let webhookBody = Purpose("envelope.webhook")

        public var description: String { name }
    }

    public let purpose: Purpose
    public let tenant: String
    /// The record's identity inside the tenant (e.g. gateway and account), in a fixed order.
    public let record: [String]

    private init(_ purpose: Purpose, tenant: String, record: [String]) {
        self.purpose = purpose
        self.tenant = tenant
        self.record = record
    }

    /// A pixel's Conversions API access token (`pixels.access_token_ciphertext`).
    public static func pixelToken(tenant: String, pixel: String) -> SealContext {
        SealContext(.pixelToken, tenant: tenant, record: [pixel])
    }

    /// One of a gateway account's webhook secrets (`gateway_accounts.secrets`, the ingest snapshot).
    public static func gatewaySecret(tenant: String, gateway: String, account: String) -> SealContext {
        SealContext(.gatewaySecret, tenant: tenant, record: [gateway, account])
    }

    /// A gateway account's API token (`gateway_accounts.api_token_ciphertext`).
    public static func gatewayAPIToken(tenant: String, gateway: String, account: String) -> SealContext {
        SealContext(.gatewayAPIToken, tenant: tenant, record: [gateway, account])
    }

    /// A variable's value in a console configuration version (`config_versions.document.secrets`):
    /// bound to the variable's name, not the version, because versions carry values over.
    public static func consoleSecret(tenant: String, variable: String) -> SealContext {
        SealContext(.consoleSecret, tenant: tenant, record: [variable])
    }

    /// An ad account's own token (`ad_accounts.token_ciphertext`).
    public static func adAccountToken(tenant: String, account: String) -> SealContext {
        SealContext(.adAccountToken, tenant: tenant, record: [account])
    }

    /// An alert chat's bot token (`alert_telegram_chats`, one row per scope): the scope is a
    /// tenant or `*` (the operator's). The chat id is not bound: it may be corrected alone.
    public static func alertBotToken(scope: String) -> SealContext {
        SealContext(.alertBotToken, tenant: scope, record: [])
    }

    /// The user data of a `/track` or `/s2s` envelope (`Envelope.Track.user`).
    public static func envelopeUser(tenant: String, envelope: String) -> SealContext {
        SealContext(.envelopeUser, tenant: tenant, record: [envelope])
    }

    /// A webhook's raw body: in its envelope, in `webhook_inbox` and in a Telegram forward job.
    public static func webhookBody(tenant: String, envelope: String) -> SealContext {
        SealContext(.webhookBody, tenant: tenant, record: [envelope])
    }

    /// The `v2` associated data: a fixed label, then purpose, tenant and record parts, each as
    /// `<utf8 length>:<bytes>`, so `("a", "b:c")` and `("a:b", "c")` never collide.
    public var associatedData: Data {
        var out = Data("trackhub.seal.v2".utf8)
        for part in [purpose.name, tenant] + record {
            out.append(0x1F)
            out.append(contentsOf: "\(part.utf8.count):".utf8)
            out.append(contentsOf: part.utf8)
        }
        return out
    }

    /// The `v1` associated data: the purpose alone (values sealed before binding).
    public var purposeOnlyData: Data { Data(purpose.name.utf8) }

    /// Names no record value beyond what logs already carry: purpose and tenant.
    public var description: String { "SealContext(\(purpose), tenant: \(tenant))" }
}
