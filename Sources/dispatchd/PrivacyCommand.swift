import ArgumentParser
import Foundation
import TrackhubCore

/// `dispatchd privacy erase|export`: answers a data subject's request (LGPD art. 18) for one
/// person of one tenant (docs/PRIVACY.md).
struct PrivacyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "privacy",
        abstract: "Answer a data subject's request: erase or export one person's data.",
        subcommands: [Erase.self, Export.self])

    /// Who the request is about, as typed by the operator (normalised and hashed like the dispatch does).
    struct Person: ParsableArguments {
        @Option(help: "The tenant the person bought from or visited.") var tenant: String
        @Option(help: "The person's e-mail.") var email: String?
        @Option(help: "The person's phone (without +55, the tenant's calling code is assumed).") var phone: String?
        @Option(help: "The person's CPF or CNPJ, with or without punctuation.") var cpf: String?
        @Option(name: .customLong("external-id"),
                help: "An external id the checkout or /track sent (or the hash Trackhub keeps for a Telegram user).") var externalID: String?
        @Option(name: .customLong("telegram-user-id"),
                help: "The person's numeric Telegram user id (their bot /start link, updates and bot-reported events).") var telegramUserID: String?
        @Option(help: "Who asked (recorded in the audit; default: $USER).") var by: String?

        func subject(normalizer: UserDataNormalizer) throws -> ErasureSubject {
            try ErasureSubject.make(tenant: tenant, email: email, phone: phone, cpf: cpf, externalID: externalID,
                                    telegramUserID: telegramUserID, normalizer: normalizer)
        }

        var requestedBy: String { by ?? ProcessInfo.processInfo.environment["USER"] ?? "cli" }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove or irreversibly anonymise one person's data in Postgres and Redis (audited, without the identifiers).")
        @OptionGroup var common: CommonOptions
        @OptionGroup var person: Person
        @Option(help: "Wait at most this many seconds for dispatchd to process what the streams held when the request started.")
        var waitSeconds = 300

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("privacy erase", error) }
            let drainTimeout = Duration.seconds(waitSeconds)
            do {
                let (keys, layout, person) = (try settings.keys(), settings.layout, person)
                let report = try await AdminPools.with(settings, application: "privacy") { pools in
                    try await pools.withPostgresAndRedis { pg, redis in
                        let normalizer = try PersonalDataEraser.normalizer(tenant: person.tenant, connection: pg)
                        return try PersonalDataEraser(keys: keys, layout: layout)
                            .erase(try person.subject(normalizer: normalizer), requestedBy: person.requestedBy, drainTimeout: drainTimeout,
                                   postgres: pg, redis: redis)
                    }
                }
                print(report)
            } catch { throw fail("privacy erase", error) }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write one person's data as JSON (access request).")
        @OptionGroup var common: CommonOptions
        @OptionGroup var person: Person
        @Option(help: "Write to this file (created 0600) instead of standard output.") var output: String?

        func run() async throws {
            let settings: BaseSettings
            do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("privacy export", error) }
            do {
                let (keys, layout, person) = (try settings.keys(), settings.layout, person)
                let document = try await AdminPools.with(settings, application: "privacy") { pools in
                    try await pools.withPostgresAndRedis { pg, redis in
                        let normalizer = try PersonalDataEraser.normalizer(tenant: person.tenant, connection: pg)
                        return try PersonalDataExport(keys: keys, layout: layout)
                            .export(try person.subject(normalizer: normalizer), requestedBy: person.requestedBy, postgres: pg, redis: redis)
                    }
                }
                if let output {
                    guard FileManager.default.createFile(atPath: output, contents: Data(document.utf8), attributes: [.posixPermissions: 0o600]) else {
                        throw ValidationError("cannot write \(output)")
                    }
                } else {
                    print(document)
                }
            } catch { throw fail("privacy export", error) }
        }
    }
}
