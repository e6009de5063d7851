import ArgumentParser
import TrackhubCore

extension DispatchdCommand {
    /// Takes the settings flags out by the table (``SettingsCommandLine``), lets ArgumentParser
    /// parse the rest, and adds the table's settings to `--help`.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let line: SettingsCommandLine
        do {
            line = try SettingsCommandLine(arguments, table: DispatchSettings.table, subcommands: true)
        } catch {
            Self.exit(withError: ValidationError("\(error)"))
        }
        if line.wantsHelp {
            let command = subcommand(named: line.remaining)
            print(helpMessage(for: command))
            print(SettingsHelp.text(DispatchSettings.table, command: line.command, settings: DispatchSettings.settings(for: line.command)))
            return
        }
        do {
            var command = try parseAsRoot(line.remaining)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            Self.exit(withError: error)
        }
    }

    /// The (sub)command the words of `arguments` name: `dlq list` → ``DLQCommand/List``.
    private static func subcommand(named arguments: [String]) -> any ParsableCommand.Type {
        var current: any ParsableCommand.Type = Self.self
        for word in arguments where !word.hasPrefix("-") {
            guard let next = current.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            current = next
        }
        return current
    }
}
