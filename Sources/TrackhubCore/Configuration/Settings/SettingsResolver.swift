public import Foundation

/// One configuration setting: its flag name, environment variable and documented default.
public struct SettingSpec: Sendable, Hashable {
    /// Flag name without dashes, e.g. `redis-url`.
    public let flag: String
    /// Environment variable (and config-file key), e.g. `TRACKHUB_REDIS_URL`.
    public let env: String
    public let defaultValue: String?
    public let help: String

    public init(_ flag: String, env: String, default defaultValue: String?, help: String) {
        self.flag = flag
        self.env = env
        self.defaultValue = defaultValue
        self.help = help
    }
}

/// A bad configuration value. The message names the setting (flag and variable) and the
/// reason, never the value itself when the setting is secret-bearing.
public struct SettingError: Error, CustomStringConvertible, Sendable {
    public let setting: SettingSpec
    public let reason: String

    public init(setting: SettingSpec, reason: String) {
        self.setting = setting
        self.reason = reason
    }

    public var description: String { "invalid setting --\(setting.flag) / \(setting.env): \(reason)" }
}

/// Resolves settings with the precedence flags > environment (`TRACKHUB_*`) > config file >
/// default. The config file uses the same `KEY=value` lines as the environment (so one file can
/// also be a systemd `EnvironmentFile=`); `#` starts a comment.
public struct SettingsResolver: Sendable {
    public let flags: [String: String]
    public let environment: [String: String]
    public let file: [String: String]

    public init(flags: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment,
                configFile: String? = nil) throws {
        self.flags = flags
        self.environment = environment
        if let path = configFile ?? environment["TRACKHUB_CONFIG"] {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SettingError(setting: SettingSpec("config", env: "TRACKHUB_CONFIG", default: nil, help: ""),
                                   reason: "config file \(path) cannot be read")
            }
            self.file = try Self.parseEnvFile(String(decoding: data, as: UTF8.self), path: path)
        } else {
            self.file = [:]
        }
    }

    static func parseEnvFile(_ text: String, path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line.removeFirst(7) }
            guard let eq = line.firstIndex(of: "=") else {
                throw SettingError(setting: SettingSpec("config", env: "TRACKHUB_CONFIG", default: nil, help: ""),
                                   reason: "\(path) line \(i + 1): expected KEY=value")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f {
                value = String(value.dropFirst().dropLast())
            }
            out[key] = value
        }
        return out
    }

    /// The raw value with its precedence applied, or nil when unset and without default.
    public func string(_ spec: SettingSpec) -> String? {
        if let v = flags[spec.flag] { return v }
        if let v = environment[spec.env] { return v }
        if let v = file[spec.env] { return v }
        return spec.defaultValue
    }

    public func required(_ spec: SettingSpec) throws -> String {
        guard let v = string(spec), !v.isEmpty else { throw SettingError(setting: spec, reason: "is required") }
        return v
    }

    public func int(_ spec: SettingSpec, in range: ClosedRange<Int>) throws -> Int {
        let raw = try required(spec)
        guard let v = Int(raw.trimmingCharacters(in: .whitespaces)) else {
            throw SettingError(setting: spec, reason: "'\(raw)' is not an integer")
        }
        guard range.contains(v) else {
            throw SettingError(setting: spec, reason: "\(v) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }

    public func double(_ spec: SettingSpec, in range: ClosedRange<Double>) throws -> Double {
        let raw = try required(spec)
        guard let v = Double(raw.trimmingCharacters(in: .whitespaces)), v.isFinite else {
            throw SettingError(setting: spec, reason: "'\(raw)' is not a number")
        }
        guard range.contains(v) else {
            throw SettingError(setting: spec, reason: "\(v) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }

    public func bool(_ spec: SettingSpec) throws -> Bool {
        let raw = try required(spec).lowercased()
        switch raw {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw SettingError(setting: spec, reason: "'\(raw)' is not a boolean (true/false)")
        }
    }

    /// Milliseconds as a Duration.
    public func milliseconds(_ spec: SettingSpec, in range: ClosedRange<Int>) throws -> Duration {
        .milliseconds(try int(spec, in: range))
    }

    public func redisEndpoint(_ spec: SettingSpec) throws -> RedisEndpoint {
        let raw = try required(spec)
        guard let endpoint = RedisEndpoint(url: raw) else {
            throw SettingError(setting: spec, reason: "not a redis:// or unix:// URL")
        }
        return endpoint
    }

    /// A comma-separated list; empty entries dropped.
    public func list(_ spec: SettingSpec) -> [String] {
        (string(spec) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
