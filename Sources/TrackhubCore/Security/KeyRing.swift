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

    /// Why a key file could not be loaded, in the shape of ``PostgresError``: an opaque
    /// ``Kind``; the description names the file and line, never a key.
    public struct LoadError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable, Equatable {
        /// Opaque and extensible: compare with `==`, never exhaustively.
        public struct Kind: Hashable, Sendable, CustomStringConvertible {
            private enum Base: String, Hashable, Sendable { case unreadable, empty, malformed }
            private let base: Base
            private init(_ base: Base) { self.base = base }

            public static let unreadable = Kind(.unreadable)
            public static let empty = Kind(.empty)
            /// A line that is not `KEY_ID:BASE64` of 32 bytes (see ``LoadError/line``).
            public static let malformed = Kind(.malformed)

            public var description: String { base.rawValue }
        }

        public let kind: Kind
        public let path: String
        /// The 1-based line, for ``Kind/malformed``.
        public let line: Int?

        public init(_ kind: Kind, path: String, line: Int? = nil) {
            self.kind = kind
            self.path = path
            self.line = line
        }

        public var description: String {
            if kind == .unreadable { return "master key file \(path) cannot be read" }
            if kind == .empty { return "master key file \(path) holds no key" }
            return "master key file \(path) line \(line ?? 0): expected KEY_ID:BASE64 of 32 bytes"
        }

        public var debugDescription: String { "KeyRing.LoadError.\(kind): \(description)" }
    }

    public init(keys: [(id: String, bytes: [UInt8])]) {
        self.keys = keys.map { Key(id: $0.id, key: SymmetricKey(data: $0.bytes)) }
        precondition(!self.keys.isEmpty, "a key ring needs at least one key")
    }

    /// Loads a key ring from a file (see the type's documentation for the format).
    public static func load(path: String) throws -> KeyRing {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError(.unreadable, path: path) }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    static func parse(_ text: String, path: String) throws -> KeyRing {
        var parsed: [(id: String, bytes: [UInt8])] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else { throw LoadError(.malformed, path: path, line: index + 1) }
            let id = String(line[..<colon])
            guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
                  let bytes = Data(base64Encoded: String(line[line.index(after: colon)...])), bytes.count == 32
            else { throw LoadError(.malformed, path: path, line: index + 1) }
            parsed.append((id, Array(bytes)))
        }
        guard !parsed.isEmpty else { throw LoadError(.empty, path: path) }
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
