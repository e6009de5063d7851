import ArgumentParser
import Foundation
import TrackhubCore

/// `dispatchd diagnose [PROBLEM…]`: the console's troubleshooting assistant at a terminal — the
/// same evidence, the same rules (``Troubleshooter``), the answer in pt-BR (or `--english`).
struct DiagnoseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Diagnose a problem from the ledger, webhooks, status and matches (token_expired, sales_not_reaching_meta, sale_not_matched, or words).")
    @OptionGroup var common: CommonOptions
    @Option(help: "Only this tenant (repeatable; default: all).") var tenant: [String] = []
    @Flag(help: "Answer in English.") var english = false
    @Argument(parsing: .remaining, help: "The problem: a topic name or a description (\"minhas vendas não aparecem no Meta\"); none: every topic.")
    var problem: [String] = []

    func run() async throws {
        let settings: BaseSettings
        do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("diagnose", error) }
        let text = problem.joined(separator: " ")
        let topics: [TroubleshootingTopic]
        if text.isEmpty {
            topics = TroubleshootingTopic.allCases
        } else if let topic = TroubleshootingTopic(rawValue: text) ?? TroubleshootingTopic.guess(from: text) {
            topics = [topic]
        } else {
            throw ValidationError("no known problem in \"\(text)\"; topics: \(TroubleshootingTopic.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let scope: InsightScope = tenant.isEmpty ? .all : .tenants(tenant)
        do {
            let evidence = try await AdminPools.with(settings, application: "diagnose") { pools in
                try await PostgresInsightStore(postgres: pools.postgres, redis: pools.redis, layout: settings.layout).evidence(scope: scope)
            }
            print(topics.map { Troubleshooter.diagnose($0, evidence).plainText(english: english) }.joined(separator: "\n\n"))
        } catch { throw fail("diagnose", error) }
    }
}

/// `dispatchd support-bundle`: the redacted file "falar com o suporte" builds — configuration
/// without secrets, recent errors, dead letters, ignored webhooks, versions, status and the
/// diagnoses — written with mode 0600.
struct SupportBundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "support-bundle",
        abstract: "Write a redacted support bundle (JSON): configuration without secrets, recent errors, dead letters, status, diagnoses.")
    @OptionGroup var common: CommonOptions
    @Option(help: "Only this tenant (repeatable; default: all).") var tenant: [String] = []
    @Option(help: "Where to write it (default: trackhub-suporte-<date>.json in the current directory).") var output: String?

    func run() async throws {
        let settings: BaseSettings
        do { settings = try BaseSettings(try common.resolver()) } catch { throw fail("support-bundle", error) }
        let scope: InsightScope = tenant.isEmpty ? .all : .tenants(tenant)
        do {
            let bundle = try await AdminPools.with(settings, application: "support-bundle") { pools in
                let store = PostgresInsightStore(postgres: pools.postgres, redis: pools.redis, layout: settings.layout)
                let evidence = try await store.evidence(scope: scope)
                let diagnoses = TroubleshootingTopic.allCases.map { Troubleshooter.diagnose($0, evidence) }
                return try await store.supportBundle(scope: scope, application: Self.application(), diagnoses: diagnoses)
            }
            let path = output ?? bundle.fileName
            guard FileManager.default.createFile(atPath: path, contents: Data(bundle.json().utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ValidationError("cannot write \(path)")
            }
            print(path)
        } catch let error as ValidationError { throw error } catch { throw fail("support-bundle", error) }
    }

    /// What identifies this build: the executable's modification time and the OS.
    static func application() -> [(String, String)] {
        let executable = CommandLine.arguments.first.flatMap { try? FileManager.default.attributesOfItem(atPath: $0)[.modificationDate] as? Date }
        return [("dispatchd_built", executable.map { ISO8601DateFormatter().string(from: $0) } ?? "?"),
                ("os", ProcessInfo.processInfo.operatingSystemVersionString)]
    }
}
