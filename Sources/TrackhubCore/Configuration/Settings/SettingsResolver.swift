public import Foundation
public import Logging

/// Resolves settings with the precedence flag > environment (`TRACKHUB_*`) > settings file >
/// default, and checks each value by its ``Setting/value`` — the range and format come from the
/// table, never from the caller.
public struct SettingsResolver: Sendable {
    /// Flag values by setting name (`redis-url`), as ``SettingsCommandLine`` found them.
    public let flags: [String: String]
    public let environment: [String: String]
    public let file: [String: String]

    /// Reads the settings file named by the `--config` flag or `TRACKHUB_CONFIG` (or `configFile`).
    public init(flags: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment,
                configFile: String? = nil) throws {
        self.flags = flags
        self.environment = environment
        let config = SharedSettings.configFile
        if let path = configFile ?? flags[config.name] ?? environment[config.environment] {
            self.file = try SettingsFile.load(path: path)
        } else {
            self.file = [:]
        }
    }

    /// The raw value with its precedence applied, or nil when unset and without default.
    public func string(_ setting: Setting) -> String? {
        if let v = flags[setting.name] { return v }
        if let v = environment[setting.environment] { return v }
        if let v = file[setting.environment] { return v }
        return setting.defaultValue
    }

    /// The value, checked; `fallback` stands in for a default computed at start.
    public func checked(_ setting: Setting, fallback: String? = nil) throws -> String {
        let raw = string(setting) ?? fallback ?? ""
        if let problem = setting.value.problem(raw) { throw SettingError(setting: setting, reason: problem) }
        return raw
    }

    /// A ``SettingValue/text`` (or other string-shaped) setting.
    public func text(_ setting: Setting, fallback: String? = nil) throws -> String { try checked(setting, fallback: fallback) }

    /// An ``SettingValue/optionalText`` setting; empty is nil.
    public func optionalText(_ setting: Setting) throws -> String? {
        let raw = try checked(setting)
        return raw.isEmpty ? nil : raw
    }

    public func int(_ setting: Setting) throws -> Int {
        try Int(checked(setting).trimmingCharacters(in: .whitespaces)) ?? 0
    }

    /// A ``SettingValue/milliseconds`` setting as a Duration.
    public func duration(_ setting: Setting) throws -> Duration { .milliseconds(try int(setting)) }

    public func double(_ setting: Setting) throws -> Double {
        try Double(checked(setting).trimmingCharacters(in: .whitespaces)) ?? 0
    }

    public func bool(_ setting: Setting) throws -> Bool { SettingValue.boolean(try checked(setting)) ?? false }

    public func logLevel(_ setting: Setting) throws -> Logger.Level { Logger.Level(rawValue: try checked(setting)) ?? .info }

    public func redisEndpoint(_ setting: Setting) throws -> RedisEndpoint {
        guard let endpoint = RedisEndpoint(url: try checked(setting)) else {
            throw SettingError(setting: setting, reason: "not a redis:// or unix:// URL")
        }
        return endpoint
    }

    /// An ``SettingValue/httpURL`` setting without its trailing `/`.
    public func url(_ setting: Setting) throws -> String {
        let raw = try checked(setting)
        return raw.hasSuffix("/") ? String(raw.dropLast()) : raw
    }

    /// An ``SettingValue/httpURL`` setting that dispatchd sends to, held to ``OutboundURLRule``:
    /// https, or http to a loopback host when `allowLoopbackHTTP`.
    public func outboundURL(_ setting: Setting, allowLoopbackHTTP: Bool) throws -> String {
        let url = try url(setting)
        if let problem = OutboundURLRule.problem(url, allowLoopbackHTTP: allowLoopbackHTTP) {
            throw SettingError(setting: setting, reason: problem)
        }
        return url
    }

    /// A comma-separated list; empty entries dropped.
    public func list(_ setting: Setting) throws -> [String] { SettingValue.list(try checked(setting)) }
}
