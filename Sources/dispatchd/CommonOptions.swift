import ArgumentParser
import Foundation
import Logging
import TrackhubCore

/// The settings every subcommand reads. Their flags are not ArgumentParser options: they come
/// from the settings table (``DispatchSettings``), taken out of the command line by
/// ``SettingsCommandLine`` before ArgumentParser sees it (see `DispatchdCommand.main`).
struct CommonOptions: ParsableArguments {
    /// Flags from the command line, then `TRACKHUB_*` variables, then the `--config` file.
    func resolver() throws -> SettingsResolver {
        let line = try SettingsCommandLine(Array(CommandLine.arguments.dropFirst()), table: DispatchSettings.table, subcommands: true)
        return try SettingsResolver(flags: line.flags)
    }
}

/// Prints a configuration error naming the setting, and exits 2.
func fail(_ command: String, _ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("dispatchd \(command): \(error)\n".utf8))
    return ExitCode(2)
}
