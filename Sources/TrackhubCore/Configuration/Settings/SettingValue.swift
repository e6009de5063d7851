import Foundation

/// What a process setting accepts: its parse, its range and how `--help` and the docs name it.
/// The one place a setting's value is checked, so every daemon and subcommand reports a bad
/// value in the same words.
public enum SettingValue: Sendable, Hashable {
    /// Any non-empty text (an address, a path, a conninfo).
    case text
    /// A whole number in the range.
    case integer(ClosedRange<Int>)
    /// A whole number of milliseconds in the range.
    case milliseconds(ClosedRange<Int>)
    /// A decimal number in the range.
    case number(ClosedRange<Double>)
    /// `1/true/yes/on` or `0/false/no/off`.
    case boolean
    /// A swift-log level name.
    case logLevel
    /// `redis://[:password@]host[:port][/db]` or `unix:///path[?db=N]`.
    case redisURL
    /// An absolute `http(s)://` URL; a trailing `/` is dropped.
    case httpURL
    /// A Redis key prefix: letters, digits, `_` and `-`.
    case keyPrefix
    /// A consumer name: 1–64 of letters, digits, `- _ . @`.
    case consumerName
    /// A Graph API version such as `v25.0`.
    case graphVersion
    /// A comma-separated list of IPs and CIDRs; may be empty.
    case addressList
    /// Text that may be empty (empty = unset), such as a cookie domain.
    case optionalText

    /// How `--help` describes the accepted values.
    public var accepted: String {
        switch self {
        case .text: "non-empty text"
        case .integer(let r): "\(r.lowerBound)–\(r.upperBound)"
        case .milliseconds(let r): "\(r.lowerBound)–\(r.upperBound) ms"
        case .number(let r): "\(Self.plain(r.lowerBound))–\(Self.plain(r.upperBound))"
        case .boolean: "true or false"
        case .logLevel: "trace, debug, info, notice, warning, error or critical"
        case .redisURL: "a redis:// or unix:// URL"
        case .httpURL: "an absolute http(s) URL"
        case .keyPrefix: "letters, digits, _ and -"
        case .consumerName: "1–64 of letters, digits, - _ . @"
        case .graphVersion: "v + a number"
        case .addressList: "comma-separated IPs/CIDRs"
        case .optionalText: "text, may be empty"
        }
    }

    /// The integer range, for settings that have one (the docs test compares it).
    public var integerRange: ClosedRange<Int>? {
        switch self {
        case .integer(let r), .milliseconds(let r): r
        default: nil
        }
    }

    /// Whether an empty value is a value (rather than a missing required one).
    public var allowsEmpty: Bool { self == .addressList || self == .optionalText }

    /// Why `raw` is not acceptable, or nil when it is. The reason never repeats a value that
    /// may hold a secret (URLs with a password).
    public func problem(_ raw: String) -> String? {
        if raw.isEmpty, self != .consumerName { return allowsEmpty ? nil : "is required" }
        switch self {
        case .text, .optionalText:
            return nil
        case .integer(let range), .milliseconds(let range):
            guard let v = Int(raw.trimmingCharacters(in: .whitespaces)) else { return "'\(raw)' is not an integer" }
            return range.contains(v) ? nil : "\(v) is outside \(range.lowerBound)...\(range.upperBound)"
        case .number(let range):
            guard let v = Double(raw.trimmingCharacters(in: .whitespaces)), v.isFinite else { return "'\(raw)' is not a number" }
            return range.contains(v) ? nil : "\(v) is outside \(range.lowerBound)...\(range.upperBound)"
        case .boolean:
            return Self.boolean(raw) == nil ? "'\(raw.lowercased())' is not a boolean (true/false)" : nil
        case .logLevel:
            return Self.logLevels.contains(raw) ? nil : "must be one of trace, debug, info, notice, warning, error, critical"
        case .redisURL:
            return RedisEndpoint(url: raw) == nil ? "not a redis:// or unix:// URL" : nil
        case .httpURL:
            guard let url = URL(string: raw), url.scheme == "https" || url.scheme == "http", url.host != nil else {
                return "must be an absolute http(s) URL"
            }
            return nil
        case .keyPrefix:
            return raw.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) ? nil : "only letters, digits, _ and - are allowed"
        case .consumerName:
            return !raw.isEmpty && raw.count <= 64 && raw.allSatisfy({ $0.isLetter || $0.isNumber || "-_.@".contains($0) })
                ? nil : "must be 1-64 letters, digits, - _ . @"
        case .graphVersion:
            return raw.hasPrefix("v") && Double(raw.dropFirst()) != nil ? nil : "must look like v25.0"
        case .addressList:
            return ClientIPResolver(trustedProxies: Self.list(raw)) == nil ? "every entry must be an IP or CIDR" : nil
        }
    }

    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    static func boolean(_ raw: String) -> Bool? {
        switch raw.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off": false
        default: nil
        }
    }

    /// A comma-separated list; empty entries dropped.
    static func list(_ raw: String) -> [String] {
        raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func plain(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
