import Foundation
import Testing
@testable import TrackhubCore

/// `docs/CONFIGURATION.md` and the settings tables must agree: every setting documented with its
/// variable, flag, default and (for numbers) range, and nothing documented that a table lacks.
@Suite("Settings tables ↔ docs/CONFIGURATION.md")
struct SettingsDocsTests {
    struct Row: Equatable {
        var flag: String
        var variable: String
        var defaultText: String
        var accepted: String
    }

    static let docsPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/CONFIGURATION.md").path

    /// The rows of the settings table under `## section`.
    static func rows(section: String) throws -> [Row] {
        let text = try String(contentsOfFile: docsPath, encoding: .utf8)
        var inSection = false
        var rows: [Row] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { inSection = line == "## \(section)" }
            guard inSection, line.hasPrefix("|") else { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, cells[1].hasPrefix("`TRACKHUB_") else { continue }
            rows.append(Row(flag: cells[0], variable: cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`")),
                            defaultText: cells[2], accepted: cells[3]))
        }
        return rows
    }

    static func check(_ table: SettingsTable, section: String) throws {
        let rows = try rows(section: section)
        #expect(!rows.isEmpty, "no settings table under ## \(section)")
        let documented = Dictionary(rows.map { ($0.variable, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(documented.count == rows.count, "a variable is documented twice under ## \(section)")
        for setting in table.settings {
            guard let row = documented[setting.environment] else {
                Issue.record("\(setting.environment) (\(table.program)) is not documented under ## \(section)")
                continue
            }
            #expect(row.flag == (setting.hasFlag ? "`\(setting.flagSpelling)`" : "—"), "flag of \(setting.environment)")
            #expect(row.defaultText == setting.documentedDefault, "default of \(setting.environment)")
            if let range = setting.value.integerRange {
                #expect(row.accepted == "\(range.lowerBound)–\(range.upperBound)", "range of \(setting.environment)")
            }
        }
        let known = Set(table.settings.map(\.environment))
        for row in rows where !known.contains(row.variable) {
            Issue.record("\(row.variable) is documented under ## \(section) but \(table.program) has no such setting")
        }
    }

    @Test("ingestd's table is documented exactly")
    func ingestd() throws { try Self.check(IngestSettings.table, section: "ingestd") }

    @Test("dispatchd's table is documented exactly")
    func dispatchd() throws { try Self.check(DispatchSettings.table, section: "dispatchd") }

    @Test("a setting's name is unique in its table, and flags are spelt as documented in --help")
    func unique() {
        for table in [IngestSettings.table, DispatchSettings.table] {
            #expect(Set(table.settings.map(\.name)).count == table.settings.count)
            #expect(Set(table.settings.map(\.environment)).count == table.settings.count)
            for setting in table.settings { #expect(setting.environment.hasPrefix("TRACKHUB_")) }
        }
        let help = SettingsHelp.text(DispatchSettings.table, command: "run", settings: DispatchSettings.settings(for: "run"))
        let consoleHelp = SettingsHelp.text(DispatchSettings.table, command: "console", settings: DispatchSettings.settings(for: "console"))
        for setting in DispatchSettings.table.settings {
            #expect(help.contains(setting.environment) || consoleHelp.contains(setting.environment), "\(setting.environment)")
            if setting.isFlag(for: "run") { #expect(help.contains(setting.flagSpelling + " <value>")) }
            if setting.isFlag(for: "console") { #expect(consoleHelp.contains(setting.flagSpelling + " <value>")) }
        }
        #expect(!SettingsHelp.text(DispatchSettings.table, command: "status", settings: DispatchSettings.settings(for: "status"))
            .contains("--consumer"))
    }
}
