/// Takes a daemon's setting flags (`--redis-url U`, `--redis-url=U`) out of its arguments, by
/// the table: the flags are not declared a second time as ArgumentParser options. What remains
/// (subcommands, positional arguments, command-only flags such as `--dry-run`, and any flag the
/// command does not take) is left for ArgumentParser, which reports unknown options.
public struct SettingsCommandLine: Sendable, Equatable {
    /// The subcommand (`run`, `dlq`), or nil for a daemon without subcommands or the root.
    public let command: String?
    /// Flag values by setting name.
    public let flags: [String: String]
    /// The arguments for ArgumentParser.
    public let remaining: [String]
    /// Whether `-h`/`--help` was asked for.
    public var wantsHelp: Bool { remaining.prefix { $0 != "--" }.contains { $0 == "--help" || $0 == "-h" } }

    public struct MissingValue: Error, CustomStringConvertible {
        public let flag: String
        public var description: String { "missing value for '\(flag)'" }
    }

    /// - Parameter subcommands: whether the first word is a subcommand (dispatchd) or not (ingestd).
    public init(_ arguments: [String], table: SettingsTable, subcommands: Bool) throws {
        // The command decides which flags are settings here, so find it first: the first word
        // that is neither an option nor the value of a setting flag.
        var command: String?
        if subcommands {
            var index = 0
            while index < arguments.count {
                let token = arguments[index]
                if token == "--" { break }
                if !token.hasPrefix("-") { command = token; break }
                if let name = Self.flagName(token), !token.contains("="), table.setting(flag: name) != nil { index += 1 }
                index += 1
            }
        }
        let accepted = Set(table.flags(for: command).map(\.name))
        var flags: [String: String] = [:]
        var remaining: [String] = []
        var index = 0
        while index < arguments.count {
            let token = arguments[index]
            if token == "--" {
                remaining += arguments[index...]
                break
            }
            guard let name = Self.flagName(token), accepted.contains(name) else {
                remaining.append(token)
                index += 1
                continue
            }
            if let eq = token.firstIndex(of: "=") {
                flags[name] = String(token[token.index(after: eq)...])
                index += 1
            } else {
                guard index + 1 < arguments.count else { throw MissingValue(flag: token) }
                flags[name] = arguments[index + 1]
                index += 2
            }
        }
        self.command = command
        self.flags = flags
        self.remaining = remaining
    }

    /// `redis-url` for `--redis-url` or `--redis-url=…`; nil for anything else.
    private static func flagName(_ token: String) -> String? {
        guard token.hasPrefix("--"), token.count > 2 else { return nil }
        let body = token.dropFirst(2)
        return String(body.prefix { $0 != "=" })
    }
}
