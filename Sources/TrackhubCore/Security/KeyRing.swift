public import Foundation
import Crypto

/// The master keys that encrypt secrets at rest (access tokens, webhook secrets) and the
/// personal data carried inside envelopes.
///
/// File format: one key per line, `KEY_ID:BASE64(32 bytes)`; `#` starts a comment. The first key
/// is the active one (used to seal); every key can open. Rotation = put a new key first, keep the
/// old ones until `dispatchd secrets rotate` has re-sealed everything.
public struct KeyRing: Sendable {
    public struct Key: Sendable {
        public let id: String
        let key: SymmetricKey
    }

    public let keys: [Key]
    public var activeKeyID: String { keys[0].id }

    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(path: String)
        case empty(path: String)
        case malformed(path: String, line: Int)

        public var description: String {
            switch self {
            case .unreadable(let path): return "master key file \(path) cannot be read"
            case .empty(let path): return "master key file \(path) holds no key"
            case .malformed(let path, let line):
                return "master key file \(path) line \(line): expected KEY_ID:BASE64 of 32 bytes"
            }
        }
    }

    public init(keys: [(id: String, bytes: [UInt8])]) {
        self.keys = keys.map { Key(id: $0.id, key: SymmetricKey(data: $0.bytes)) }
        precondition(!self.keys.isEmpty, "a key ring needs at least one key")
    }

    /// Loads a key ring from a file (see the type's documentation for the format).
    public static func load(path: String) throws -> KeyRing {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError.unreadable(path: path) }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    static func parse(_ text: String, path: String) throws -> KeyRing {
        var parsed: [(id: String, bytes: [UInt8])] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else { throw LoadError.malformed(path: path, line: index + 1) }
            let id = String(line[..<colon])
            guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
                  let bytes = Data(base64Encoded: String(line[line.index(after: colon)...])), bytes.count == 32
            else { throw LoadError.malformed(path: path, line: index + 1) }
            parsed.append((id, Array(bytes)))
        }
        guard !parsed.isEmpty else { throw LoadError.empty(path: path) }
        return KeyRing(keys: parsed)
    }

    /// A new random key line, for installers and tests.
    public static func generateKeyLine(id: String) -> String {
        let key = SymmetricKey(size: .bits256)
        let b64 = key.withUnsafeBytes { Data($0).base64EncodedString() }
        return "\(id):\(b64)"
    }

    func key(id: String) -> SymmetricKey? {
        keys.first(where: { $0.id == id })?.key
    }
}
