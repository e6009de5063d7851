import ArgumentParser
import Foundation
import Logging
import TrackhubCore

/// Options every subcommand shares. Flags override `TRACKHUB_*` environment variables, which
/// override the `--config` file; each setting has a documented default (docs/CONFIGURATION.md).
struct CommonOptions: ParsableArguments {
    @Option(help: "Config file of KEY=value lines (same keys as the environment).") var config: String?
    @Option(name: .customLong("database-url"), help: "Postgres URL.") var databaseURL: String?
    @Option(name: .customLong("redis-url"), help: "Redis URL.") var redisURL: String?
    @Option(name: .customLong("stream-prefix"), help: "Prefix of every Redis key (default th).") var streamPrefix: String?
    @Option(name: .customLong("master-key-file"), help: "Key ring file.") var masterKeyFile: String?
    @Option(name: .customLong("log-level"), help: "Log level (default info).") var logLevel: String?

    func resolver(extra: [String: String] = [:]) throws -> SettingsResolver {
        var flags = extra
        flags["database-url"] = databaseURL
        flags["redis-url"] = redisURL
        flags["stream-prefix"] = streamPrefix
        flags["master-key-file"] = masterKeyFile
        flags["log-level"] = logLevel
        return try SettingsResolver(flags: flags, configFile: config)
    }
}

/// The settings every subcommand needs, validated.
struct BaseSettings {
    typealias S = DispatchSettingSpecs
    let databaseURL: String
    let redis: RedisEndpoint
    let layout: StreamLayout
    let masterKeyFile: String
    let logLevel: Logger.Level

    init(_ s: SettingsResolver) throws {
        databaseURL = try s.required(S.databaseURL)
        redis = try s.redisEndpoint(S.redisURL)
        let prefix = try s.required(S.streamPrefix)
        guard prefix.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw SettingError(setting: S.streamPrefix, reason: "only letters, digits, _ and - are allowed")
        }
        layout = StreamLayout(prefix: prefix)
        masterKeyFile = try s.required(S.masterKeyFile)
        guard let level = Logger.Level(rawValue: try s.required(S.logLevel)) else {
            throw SettingError(setting: S.logLevel, reason: "must be one of trace, debug, info, notice, warning, error, critical")
        }
        logLevel = level
    }

    func keys() throws -> KeyRing {
        do { return try KeyRing.load(path: masterKeyFile) } catch {
            throw SettingError(setting: S.masterKeyFile, reason: "\(error)")
        }
    }
}

/// Prints a configuration error naming the setting, and exits 2.
func fail(_ command: String, _ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("dispatchd \(command): \(error)\n".utf8))
    return ExitCode(2)
}
