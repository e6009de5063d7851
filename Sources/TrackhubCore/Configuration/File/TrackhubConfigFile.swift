public import Foundation
import Yams

/// The declarative configuration `dispatchd apply FILE` reads: tenants with their pixels,
/// tracking links and payment-gateway accounts. YAML (`.yaml`, `.yml`) or JSON (`.json`), with
/// snake_case keys; `config/example.yaml` is the annotated example.
///
/// The file never holds a secret: access tokens and webhook secrets are named by the
/// environment variable or file that holds them (`token_env`, `secret_file`, …) and read only
/// when the configuration is applied.
///
/// Decoding checks types only. Everything else — formats, references, duplicates, secrets that
/// cannot be read — is reported, all at once, by ``validate(environment:)``; so are keys this
/// version does not know (a misspelt `send_click_as_page_view` must not be silently ignored).
public struct TrackhubConfigFile: Codable, Sendable, Equatable {
    public var tenants: [Tenant]
    /// Where relative `token_file` / `secret_file` paths start: the file's directory when it
    /// was read by ``load(path:)``; nil means the working directory.
    public var baseDirectory: String?
    /// Top-level keys this version does not know.
    public var unknownKeys: [String]

    public init(tenants: [Tenant], baseDirectory: String? = nil) {
        self.tenants = tenants
        self.baseDirectory = baseDirectory
        self.unknownKeys = []
    }

    // MARK: - Codable

    enum CodingKeys: String, CodingKey, CaseIterable {
        case tenants
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tenants = try c.decodeIfPresent([Tenant].self, forKey: .tenants) ?? []
        baseDirectory = nil
        unknownKeys = try decoder.unknownKeys(CodingKeys.self)
    }

    // MARK: - Loading

    /// Reads a configuration file, YAML or JSON by its extension.
    public static func load(path: String) throws -> TrackhubConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError.unreadable(path: path) }
        let text = String(decoding: data, as: UTF8.self)
        var file: TrackhubConfigFile
        switch (path as NSString).pathExtension.lowercased() {
        case "yaml", "yml": file = try parse(yaml: text, name: path)
        case "json": file = try parse(json: text, name: path)
        default: throw LoadError.unsupportedExtension(path: path)
        }
        let directory = (path as NSString).deletingLastPathComponent
        file.baseDirectory = directory.isEmpty ? nil : directory
        return file
    }

    /// Parses YAML text; `name` labels errors.
    public static func parse(yaml text: String, name: String = "configuration") throws -> TrackhubConfigFile {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw LoadError.syntax(path: name, message: Self.describe(error))
        } catch {
            throw LoadError.syntax(path: name, message: "not valid YAML")
        }
        guard let node else { return TrackhubConfigFile(tenants: []) }
        do {
            return try YAMLDecoder().decode(TrackhubConfigFile.self, from: node)
        } catch let error as DecodingError {
            throw Self.shapeError(error, name: name)
        } catch let error as YamlError {
            throw LoadError.syntax(path: name, message: Self.describe(error))
        }
    }

    /// Parses JSON text; `name` labels errors.
    public static func parse(json text: String, name: String = "configuration") throws -> TrackhubConfigFile {
        do {
            return try JSONDecoder().decode(TrackhubConfigFile.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                throw LoadError.syntax(path: name, message: "not valid JSON")
            }
            throw Self.shapeError(error, name: name)
        }
    }

    /// The file as JSON (snake_case keys), e.g. to show what was understood.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Yams' messages quote the document around the error, which is fine for a file that holds
    /// no secrets; only the first line is kept, with the line and column.
    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "line \(mark.line), column \(mark.column): \(problem)"
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicate keys in one map: \(duplicates.joined(separator: ", "))"
        default:
            return String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "not valid YAML"
        }
    }

    private static func shapeError(_ error: DecodingError, name: String) -> LoadError {
        switch error {
        case .typeMismatch(let type, let context):
            return .shape(path: name, at: ConfigPath.render(context.codingPath), message: "must be \(expectation(type))")
        case .valueNotFound(let type, let context):
            return .shape(path: name, at: ConfigPath.render(context.codingPath), message: "must be \(expectation(type)), not empty")
        case .keyNotFound(let key, let context):
            return .shape(path: name, at: ConfigPath.render(context.codingPath + [key]), message: "is required")
        case .dataCorrupted(let context):
            return .shape(path: name, at: ConfigPath.render(context.codingPath), message: "has an unreadable value")
        @unknown default:
            return .shape(path: name, at: "", message: "does not have the expected shape")
        }
    }

    private static func expectation(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "a whole number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "text"
        case is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list" }
            if name.hasPrefix("Dictionary") || name.contains("KeyedDecodingContainer") { return "a map" }
            return "a map"
        }
    }
}
