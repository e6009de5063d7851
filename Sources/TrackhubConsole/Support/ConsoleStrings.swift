import Foundation
import TrackhubCore

/// The text of every page, one table per language (`strings/pt-BR.json`, `strings/en.json`:
/// a flat object of key → text). Templates read it as `{{t.key}}`; Swift code that builds a
/// sentence (the status line) formats `%@`/`%d` placeholders from it. A key missing from a
/// table falls back to Portuguese, then to the key itself, so a page never renders empty.
public struct ConsoleStrings: Sendable {
    public let tables: [ConsoleLanguage: [String: String]]

    public init(tables: [ConsoleLanguage: [String: String]]) { self.tables = tables }

    /// Loads `directory/strings/<language>.json` for every language.
    public init(resources directory: String) throws {
        var tables: [ConsoleLanguage: [String: String]] = [:]
        for language in ConsoleLanguage.allCases {
            let path = directory + "/strings/" + language.rawValue + ".json"
            guard let data = FileManager.default.contents(atPath: path) else { throw ConsoleResourceError(path: path, reason: "missing") }
            guard let members = JSONValue.parse(Array(data))?.objectMembers else {
                throw ConsoleResourceError(path: path, reason: "not a JSON object")
            }
            var table: [String: String] = [:]
            for (key, value) in members {
                guard case .string(let text) = value else { throw ConsoleResourceError(path: path, reason: "\(key) is not a string") }
                table[key] = text
            }
            tables[language] = table
        }
        self.tables = tables
    }

    /// The whole table for `language`, Portuguese filling any key it lacks.
    public func table(_ language: ConsoleLanguage) -> [String: String] {
        let base = tables[.portuguese] ?? [:]
        guard language != .portuguese else { return base }
        return base.merging(tables[language] ?? [:]) { _, translated in translated }
    }

    /// One text, with `%@` replaced in order by `arguments`.
    public func text(_ key: String, _ language: ConsoleLanguage, _ arguments: String...) -> String {
        text(key, language, arguments: arguments)
    }

    /// ``text(_:_:_:)`` with the arguments as an array.
    public func text(_ key: String, _ language: ConsoleLanguage, arguments: [String]) -> String {
        var text = tables[language]?[key] ?? tables[.portuguese]?[key] ?? key
        for argument in arguments {
            guard let range = text.range(of: "%@") else { break }
            text.replaceSubrange(range, with: argument)
        }
        return text
    }
}

/// A console resource (template folder, strings table) that is missing or malformed.
public struct ConsoleResourceError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "console resource \(path): \(reason)" }
}
