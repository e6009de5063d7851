import ArgumentParser
import Foundation
import TrackhubCore

/// `dispatchd apikey create|list|revoke`: the read API's per-tenant keys (docs/ANALYTICS.md).
struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apikey", abstract: "Keys of the read API (/api/v1/…).",
                                                    subcommands: [Create.self, List.self, Revoke.self])

    /// Prints the new key once; only its hash is stored.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key for a tenant and print it (shown only this once).")
        @OptionGroup var common: CommonOptions
        @Option(help: "The tenant id.") var tenant: String
        @Option(help: "A name to tell keys apart (e.g. planilha).") var name = ""

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("apikey create", error) }
            let (tenant, name) = (tenant, name)
            do {
                let created = try await AdminPools.with(settings, application: "apikey") { pools in
                    try await pools.postgres.withConnection { c in
                        guard try c.query("SELECT 1 FROM tenants WHERE id = $1", [.string(tenant)]).count == 1 else {
                            throw ValidationError("no tenant \(tenant)")
                        }
                        return try APIKeyStore().create(tenant: tenant, name: name, connection: c)
                    }
                }
                print(created.key)
            } catch let error as ValidationError { throw error } catch { throw fail("apikey create", error) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never the keys themselves).")
        @OptionGroup var common: CommonOptions
        @Option(help: "Only this tenant (repeatable; default: all).") var tenant: [String] = []

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("apikey list", error) }
            let tenants = tenant.isEmpty ? nil : tenant
            do {
                let keys = try await AdminPools.with(settings, application: "apikey") { pools in
                    try await pools.postgres.withConnection { c in try APIKeyStore().list(tenants: tenants, connection: c) }
                }
                for k in keys {
                    let state = k.revokedAt == nil ? "active" : "revoked"
                    print("\(k.id)\t\(k.tenant)\t\(k.prefix)…\t\(k.name)\t\(state)\tlast used \(k.lastUsedAt.map(AnalyticsJSON.instant) ?? "never")")
                }
            } catch { throw fail("apikey list", error) }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its id.")
        @OptionGroup var common: CommonOptions
        @Option(help: "The tenant id.") var tenant: String
        @Option(help: "The key's id (dispatchd apikey list).") var id: Int

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("apikey revoke", error) }
            let (tenant, id) = (tenant, id)
            let revoked: Bool
            do {
                revoked = try await AdminPools.with(settings, application: "apikey") { pools in
                    try await pools.postgres.withConnection { c in try APIKeyStore().revoke(id: id, tenant: tenant, connection: c) }
                }
            } catch { throw fail("apikey revoke", error) }
            guard revoked else { throw ValidationError("no active key \(id) for tenant \(tenant)") }
            print("revoked key \(id)")
        }
    }
}
