/// Every setting of one daemon, in the order `--help` and the docs list them.
public struct SettingsTable: Sendable {
    public let program: String
    public let settings: [Setting]

    public init(program: String, settings: [Setting]) {
        self.program = program
        self.settings = settings
    }

    /// The settings `command` takes as flags (nil: the daemon's only command, or the root).
    public func flags(for command: String?) -> [Setting] { settings.filter { $0.isFlag(for: command) } }

    /// The setting a flag names (`redis-url`), among those any command takes.
    public func setting(flag name: String) -> Setting? { settings.first { $0.hasFlag && $0.name == name } }
}
