import ArgumentParser
import Foundation
import TrackhubCore

/// `dispatchd secrets rotate|status`: re-seal everything with the key file's first (active) key,
/// and see what still refers to each key (docs/PRIVACY.md, "Rotating the master key").
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "secrets",
        abstract: "Rotate the master key: re-seal every value with the active key; show what each key still seals.",
        subcommands: [Rotate.self, Status.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-seal tokens, secrets and stored webhook bodies with the key file's first key, bound to their tenant and record, in batches (safe to stop and re-run).")
        @OptionGroup var common: CommonOptions
        @Option(help: "Values re-sealed per transaction.") var batchSize = 500

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("secrets rotate", error) }
            do {
                let rotation = KeyRotation(keys: try settings.keys(), layout: settings.layout, batchSize: batchSize)
                print("re-sealing with key \(rotation.keys.activeKeyID)")
                let done = try await AdminPools.with(settings, application: "secrets") { pools in
                    try await pools.withPostgresAndRedis { pg, redis in
                        try rotation.rotate(postgres: pg, redis: redis) { place, n in print("\(place): \(n) re-sealed so far") }
                    }
                }
                print("done: " + done.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + "; ingest snapshot republished")
                print("run `dispatchd secrets status` to see whether an old key is still referenced")
            } catch { throw fail("secrets rotate", error) }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "How many sealed values each key id still seals, per place and form (bound or purpose-only).")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("secrets status", error) }
            do {
                let rotation = KeyRotation(keys: try settings.keys(), layout: settings.layout)
                let lines = try await AdminPools.with(settings, application: "secrets") { pools in
                    try await pools.withPostgresAndRedis { pg, redis in try rotation.status(connection: pg, redis: redis) }
                }
                print("place\tkey\tform\tvalues")
                for l in lines { print("\(l.place)\t\(l.keyID)\t\(l.form.rawValue)\t\(l.count)") }
                for key in rotation.keys.keys.map(\.id) where key != rotation.keys.activeKeyID {
                    let n = lines.filter { $0.keyID == key }.reduce(0) { $0 + $1.count }
                    print(n == 0 ? "key \(key): nothing refers to it; it can be removed from the key file"
                                 : "key \(key): still seals \(n) value(s); keep it")
                }
                let purposeOnly = lines.filter { $0.form == .purposeOnly }
                let n = purposeOnly.reduce(0) { $0 + $1.count }
                print(n == 0 ? "purpose-only values: none; \(SharedSettings.sealAcceptPurposeOnly.environment)=false can be set"
                             : "purpose-only values: \(n) in \(Set(purposeOnly.map(\.place)).sorted().joined(separator: ", ")); keep accepting them")
            } catch { throw fail("secrets status", error) }
        }
    }
}
