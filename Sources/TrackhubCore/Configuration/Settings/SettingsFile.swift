import Foundation

/// A settings file: `KEY=value` lines, the same keys as the environment, so one file can also be
/// a systemd `EnvironmentFile=`. Like systemd, lines starting with `#` or `;` are comments.
public enum SettingsFile {
    /// Reads and parses `path`; a file that cannot be read is an error naming it.
    public static func load(path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingError(setting: SharedSettings.configFile, reason: "config file \(path) cannot be read")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// Blank lines and lines starting with `#` or `;` are skipped (a `#` later in a line is part
    /// of the value); an optional `export ` prefix; spaces around key and value trimmed; one pair
    /// of matching quotes around the value removed. Any other line without `=` is an error.
    public static func parse(_ text: String, path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("export ") { line.removeFirst(7) }
            guard let eq = line.firstIndex(of: "=") else {
                throw SettingError(setting: SharedSettings.configFile, reason: "\(path) line \(i + 1): expected KEY=value")
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
}
