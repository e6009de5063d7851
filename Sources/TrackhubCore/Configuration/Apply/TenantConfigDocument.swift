public import Foundation
import Yams

/// One tenant's configuration as the console keeps each version of it: the tenant exactly as
/// `dispatchd apply` reads it (tokens and webhook secrets named by variables, `token_env` /
/// `secret_env`), plus those variables' values sealed with the key ring. Applying a version is
/// ``ConfigApplier`` over ``file()`` with ``environment(keys:)``: one configuration model, and
/// the YAML export (``yamlText()``) re-applies to the same state given the same variables.
public struct TenantConfigDocument: Sendable, Equatable, Codable {
    public var tenant: TrackhubConfigFile.Tenant
    /// Variable name → its value sealed (``SealContext/consoleSecret(tenant:variable:)``); never a value in clear.
    public var secrets: [String: Sealed]

    public init(tenant: TrackhubConfigFile.Tenant, secrets: [String: Sealed] = [:]) {
        self.tenant = tenant
        self.secrets = secrets
    }

    /// The one-tenant file `dispatchd apply` would read: other tenants are left alone.
    public func file() -> TrackhubConfigFile { TrackhubConfigFile(tenants: [tenant]) }

    /// The variables the file names, opened: only in memory, only to apply.
    public func environment(keys: KeyRing) throws -> [String: String] {
        var opened: [String: String] = [:]
        for (name, sealed) in secrets {
            opened[name] = try keys.openString(sealed, for: .consoleSecret(tenant: tenant.id, variable: name))
        }
        return opened
    }

    /// Seals `value` under the variable `name`.
    public mutating func setSecret(_ name: String, _ value: String, keys: KeyRing) throws {
        secrets[name] = try keys.seal(string: value, for: .consoleSecret(tenant: tenant.id, variable: name))
    }

    /// The variable a pixel's token is kept under: `TH_PIXEL_<id>_TOKEN`.
    public static func pixelTokenVariable(_ pixelID: String) -> String {
        "TH_PIXEL_" + pixelID.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() + "_TOKEN"
    }

    /// The variable a gateway account's webhook secret is kept under: `TH_<GATEWAY>_<ACCOUNT>_SECRET`.
    public static func webhookSecretVariable(gateway: String, account: String) -> String {
        "TH_" + (gateway + "_" + account).uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() + "_SECRET"
    }

    /// Stored form (jsonb): sorted keys, so equal documents give equal text.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public static func parse(json text: String) throws -> TenantConfigDocument {
        try JSONDecoder().decode(TenantConfigDocument.self, from: Data(text.utf8))
    }

    /// The configuration file as YAML (what `dispatchd apply` accepts), without any secret: for
    /// the export and the diff view.
    public func yamlText() throws -> String {
        try YAMLEncoder().encode(file())
    }
}
