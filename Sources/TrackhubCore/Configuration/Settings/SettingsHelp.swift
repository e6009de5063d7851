import Foundation

/// The settings part of a daemon's `--help`, printed from the table.
public enum SettingsHelp {
    /// Every setting `command` reads: flags first (as the command takes them), then the
    /// variable-only ones; each with its variable, accepted values, default and help line.
    public static func text(_ table: SettingsTable, command: String?, settings: [Setting]? = nil) -> String {
        let shown = settings ?? table.settings
        var lines = [
            "SETTINGS:",
            "  A flag wins over the TRACKHUB_* variable, which wins over the --config file (KEY=value lines,",
            "  # or ; comments), which wins over the default. See docs/CONFIGURATION.md.",
        ]
        let flags = shown.filter { $0.isFlag(for: command) }
        let others = shown.filter { !$0.isFlag(for: command) }
        for setting in flags + others {
            let head = setting.isFlag(for: command) ? "\(setting.flagSpelling) <value>, \(setting.environment)" : setting.environment
            var detail = setting.value.accepted
            if let note = setting.defaultNote {
                detail += "; default: " + note.replacingOccurrences(of: "*", with: "")
            } else if let value = setting.defaultValue {
                detail += "; default: \(value)"
            }
            lines.append("  \(head)")
            lines.append("        \(setting.help) (\(detail))")
        }
        return lines.joined(separator: "\n")
    }
}
