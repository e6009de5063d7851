/// One process setting of ingestd or dispatchd: the single source of its flag, environment
/// variable, default, accepted values and `--help` text. ``SettingsCommandLine`` takes flags
/// from it, ``SettingsResolver`` resolves and checks values by it, ``SettingsHelp`` prints it,
/// and a test holds `docs/CONFIGURATION.md` to it.
public struct Setting: Sendable, Hashable, CustomStringConvertible {
    /// Which commands take the setting as a command-line flag.
    public enum Flag: Sendable, Hashable {
        /// Environment variable and settings file only.
        case none
        /// Every command of the daemon.
        case everyCommand
        /// Only these subcommands (`run`).
        case only([String])
    }

    /// The flag spelling without dashes (`redis-url`). Messages name a setting as
    /// `--redis-url / TRACKHUB_REDIS_URL` even where no command takes the flag.
    public let name: String
    /// The environment variable, which is also the settings file's key.
    public let environment: String
    /// The default; nil when there is none or it is computed at start (see ``defaultNote``).
    public let defaultValue: String?
    /// How `--help` and the docs show a default that is empty or computed (`the host name`).
    public let defaultNote: String?
    public let value: SettingValue
    public let flag: Flag
    /// One line for `--help`.
    public let help: String

    public init(_ name: String, env: String, default defaultValue: String?, note defaultNote: String? = nil,
                value: SettingValue, flag: Flag = .none, help: String) {
        self.name = name
        self.environment = env
        self.defaultValue = defaultValue
        self.defaultNote = defaultNote
        self.value = value
        self.flag = flag
        self.help = help
    }

    /// `--redis-url`.
    public var flagSpelling: String { "--" + name }

    /// Whether `command` (nil: a daemon without subcommands, or the root) takes the flag.
    public func isFlag(for command: String?) -> Bool {
        switch flag {
        case .none: false
        case .everyCommand: true
        case .only(let commands): command.map(commands.contains) ?? false
        }
    }

    /// Whether any command takes the flag.
    public var hasFlag: Bool { flag != .none }

    /// The default as the docs' table writes it: `` `8080` ``, or the note (`*(empty: none)*`).
    public var documentedDefault: String {
        if let defaultNote { return defaultNote }
        return "`\(defaultValue ?? "")`"
    }

    public var description: String { "\(flagSpelling) / \(environment)" }
}
