public import Foundation

/// Between a link destination as a configuration file writes it (snake_case: `also_src`) and
/// ``LinkDestination``'s own Codable form (`alsoSrc`), with messages an operator can act on.
public enum LinkDestinationMapping {
    /// Why a destination could not be read: every reason, as sentences.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public var problems: [String]
        public var description: String { problems.joined(separator: "; ") }
    }

    /// The keys each destination type takes, as the file spells them.
    static let keysByType: [String: Set<String>] = [
        "hotmart": ["type", "url", "also_src"],
        "kiwify": ["type", "url"],
        "telegram": ["type", "bots", "fallback_url"],
        "generic": ["type", "url", "parameter"],
        "utm": ["type", "url"],
    ]
    static let botKeys: Set<String> = ["username", "weight"]

    /// File key → ``LinkDestination`` key.
    private static let toModel = ["also_src": "alsoSrc", "fallback_url": "fallbackURL"]
    private static let toFile = ["alsoSrc": "also_src", "fallbackURL": "fallback_url"]
    /// Keys a destination may leave out.
    private static let optionalKeys: Set<String> = ["type", "also_src", "fallback_url"]

    /// Decodes a destination written in a configuration file. Checks the shape only; run
    /// ``DestinationURLBuilder/validate(_:)`` on the result for URLs, bots and parameters.
    public static func decode(_ value: ConfigValue) -> Result<LinkDestination, Failure> {
        guard let object = value.objectValue else {
            return .failure(Failure(problems: ["must be a map with a type, e.g. {type: hotmart, url: \"https://…\"}"]))
        }
        let types = keysByType.keys.sorted().joined(separator: ", ")
        guard let type = object["type"]?.stringValue else {
            return .failure(Failure(problems: ["type is required (one of \(types))"]))
        }
        guard let allowed = keysByType[type] else {
            return .failure(Failure(problems: ["type '\(type)' is not one of \(types)"]))
        }
        var problems: [String] = []
        for key in object.keys.sorted() where !allowed.contains(key) {
            let hint = toFile[key].map { " (write \($0))" } ?? ""
            problems.append("\(key) is not a setting of a \(type) destination\(hint)")
        }
        for key in allowed.sorted() where !optionalKeys.contains(key) && object[key] == nil {
            problems.append("\(key) is required for a \(type) destination")
        }
        if case .array(let bots)? = object["bots"] {
            for (index, bot) in bots.enumerated() {
                guard let fields = bot.objectValue else {
                    problems.append("bots[\(index)] must be a map like {username: my_bot, weight: 1}")
                    continue
                }
                for key in fields.keys.sorted() where !botKeys.contains(key) {
                    problems.append("bots[\(index)].\(key) is not a bot setting (username, weight)")
                }
            }
        }
        guard problems.isEmpty else { return .failure(Failure(problems: problems)) }

        var mapped: [String: ConfigValue] = [:]
        for (key, field) in object { mapped[toModel[key] ?? key] = field }
        do {
            let json = try ConfigValue.object(mapped).jsonText()
            return .success(try JSONDecoder().decode(LinkDestination.self, from: Data(json.utf8)))
        } catch let error as DecodingError {
            return .failure(Failure(problems: [message(error)]))
        } catch {
            return .failure(Failure(problems: ["cannot be read"]))
        }
    }

    /// A destination as a configuration file would write it.
    public static func configValue(_ destination: LinkDestination) throws -> ConfigValue {
        let data = try JSONEncoder().encode(destination)
        let value = try JSONDecoder().decode(ConfigValue.self, from: data)
        guard case .object(let object) = value else { return value }
        var mapped: [String: ConfigValue] = [:]
        for (key, field) in object { mapped[toFile[key] ?? key] = field }
        return .object(mapped)
    }

    /// The form stored in `links.destination` and published in the snapshot: LinkDestination's
    /// own JSON, keys sorted so equal destinations are equal text.
    static func storedJSON(_ destination: LinkDestination) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(destination), as: UTF8.self)
    }

    private static func message(_ error: DecodingError) -> String {
        func name(_ path: [any CodingKey]) -> String {
            ConfigPath.render(path.map { key in toFile[key.stringValue].map { AnyCodingKey($0) } ?? AnyCodingKey(key) })
        }
        switch error {
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let expected: String
            switch type {
            case is Bool.Type: expected = "true or false"
            case is Int.Type: expected = "a whole number"
            case is String.Type: expected = "text"
            default: expected = "a list"
            }
            return "\(name(context.codingPath)) must be \(expected)"
        case .keyNotFound(let key, let context):
            return "\(name(context.codingPath + [key])) is required"
        case .dataCorrupted(let context):
            return "\(name(context.codingPath)) has an unreadable value"
        @unknown default:
            return "cannot be read"
        }
    }
}

extension AnyCodingKey {
    init(_ key: any CodingKey) {
        stringValue = key.stringValue
        intValue = key.intValue
    }
}
