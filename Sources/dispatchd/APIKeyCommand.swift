import ArgumentParser
import Foundation
import TrackhubCore

/// `dispatchd apikey create|list|revoke`: per-tenant keys of the read API (docs/ANALYTICS.md)
/// and, with `--scope ingest`, of server-to-server events (docs/API.md). Creating or revoking
/// an ingest key republishes the ingest snapshot, so ingestd accepts or refuses it within its
/// snapshot poll.
struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apikey", abstract: "Keys of the read API (/api/v1/…) and of /s2s events.",
                                                    subcommands: [Create.self, List.self, Revoke.self])

    /// Publishes the ingest snapshot after an ingest key changed.
    static func publishSnapshot(_ pools: AdminPools, settings: BaseSettings) async throws -> Int64 {
        let (layout, keys) = (settings.layout, try settings.keys())
        return try await pools.withPostgresAndRedis { pg, redis in
            try SnapshotCompiler().publish(connection: pg, redis: redis, layout: layout, keys: keys).version
        }
    }

    /// Prints the new key once; only its hash is stored.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key for a tenant and print it (shown only this once).")
        @OptionGroup var common: CommonOptions
        @Option(help: "The tenant id.") var tenant: String
        @Option(help: "A name to tell keys apart (e.g. planilha, bot-telegram).") var name = ""
        @Option(help: "read: the read API (thk_…); ingest: server-to-server events on ingestd's /s2s (ths_…).")
        var scope: String = APIKeyStore.Scope.read.rawValue

        func validate() throws {
            guard APIKeyStore.Scope(rawValue: scope) != nil else { throw ValidationError("--scope must be read or ingest") }
        }

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("apikey create", error) }
            let (tenant, name, scope) = (tenant, name, APIKeyStore.Scope(rawValue: scope) ?? .read)
            do {
                let created = try await AdminPools.with(settings, application: "apikey") { pools in
                    let created = try await pools.postgres.withConnection { c in
                        guard try c.query("SELECT 1 FROM tenants WHERE id = $1", [.string(tenant)]).count == 1 else {
                            throw ValidationError("no tenant \(tenant)")
                        }
                        return try APIKeyStore().create(tenant: tenant, name: name, scope: scope, connection: c)
                    }
                    if scope == .ingest { _ = try await APIKeyCommand.publishSnapshot(pools, settings: settings) }
                    return created
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
                    // ingestd cannot write Postgres, so an ingest key's use is seen in trackhub_s2s_accepted_total.
                    let used = k.scope == .ingest ? "-" : (k.lastUsedAt.map(AnalyticsJSON.instant) ?? "never")
                    print("\(k.id)\t\(k.tenant)\t\(k.scope.rawValue)\t\(k.prefix)…\t\(k.name)\t\(state)\tlast used \(used)")
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
                    let (revoked, scope) = try await pools.postgres.withConnection { c in
                        (try APIKeyStore().revoke(id: id, tenant: tenant, connection: c),
                         try APIKeyStore().scope(id: id, tenant: tenant, connection: c))
                    }
                    if revoked, scope == .ingest { _ = try await APIKeyCommand.publishSnapshot(pools, settings: settings) }
                    return revoked
                }
            } catch { throw fail("apikey revoke", error) }
            guard revoked else { throw ValidationError("no active key \(id) for tenant \(tenant)") }
            print("revoked key \(id)")
        }
    }
}
