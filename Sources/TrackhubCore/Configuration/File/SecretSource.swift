import Foundation

/// Where a token or webhook secret comes from. The configuration file names the source; the
/// value is read only while validating and applying, and never appears in a message.
enum SecretSource: Sendable, Hashable, CustomStringConvertible {
    /// An environment variable of the `dispatchd apply` process.
    case environment(String)
    /// A file (relative paths start at the configuration file's directory). Surrounding
    /// whitespace — the trailing newline editors add — is ignored.
    case file(String)

    var description: String {
        switch self {
        case .environment(let name): return "variable \(name)"
        case .file(let path): return "file \(path)"
        }
    }

    /// The longest secret accepted: Meta system-user tokens are a few hundred bytes.
    static let maxLength = 8192

    /// Reads the value, or returns why it cannot (without the value).
    func read(environment: [String: String], baseDirectory: String?) -> Result<String, ReadFailure> {
        switch self {
        case .environment(let name):
            guard Self.isVariableName(name) else { return .failure(.init("'\(name)' is not a valid environment variable name")) }
            guard let raw = environment[name] else { return .failure(.init("variable \(name) is not set")) }
            return check(raw, what: "variable \(name)")
        case .file(let path):
            let resolved = Self.resolve(path, baseDirectory: baseDirectory)
            guard let data = FileManager.default.contents(atPath: resolved) else {
                return .failure(.init("file \(path) cannot be read"))
            }
            guard let text = String(data: data, encoding: .utf8) else {
                return .failure(.init("file \(path) is not UTF-8 text"))
            }
            return check(text, what: "file \(path)")
        }
    }

    /// A warning about how the value is kept, if any (a secret file others can read).
    func storageWarning(baseDirectory: String?) -> String? {
        guard case .file(let path) = self else { return nil }
        let resolved = Self.resolve(path, baseDirectory: baseDirectory)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved),
              let permissions = attributes[.posixPermissions] as? Int
        else { return nil }
        return permissions & 0o004 != 0 ? "file \(path) is readable by every user: chmod 600 it" : nil
    }

    private func check(_ raw: String, what: String) -> Result<String, ReadFailure> {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty { return .failure(.init("\(what) is empty")) }
        if value.utf8.count > Self.maxLength { return .failure(.init("\(what) is longer than \(Self.maxLength) bytes")) }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .failure(.init("\(what) contains control characters or line breaks"))
        }
        return .success(value)
    }

    struct ReadFailure: Error, Equatable {
        let message: String
        init(_ message: String) { self.message = message }
    }

    static func resolve(_ path: String, baseDirectory: String?) -> String {
        guard !path.hasPrefix("/"), let baseDirectory, !baseDirectory.isEmpty else { return path }
        return baseDirectory + "/" + path
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !name.isEmpty, name.utf8.count <= 255 else { return false }
        func letter(_ c: Unicode.Scalar) -> Bool { ("A"..."Z").contains(c) || ("a"..."z").contains(c) || c == "_" }
        return letter(first) && name.unicodeScalars.allSatisfy { letter($0) || ("0"..."9").contains($0) }
    }
}
