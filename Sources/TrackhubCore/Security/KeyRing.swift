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
    /// Whether values in the purpose-only form (`v1`, sealed before values were bound to tenant
    /// and record) still open. On by default so an install keeps working while
    /// `dispatchd secrets rotate` migrates them; `TRACKHUB_SEAL_ACCEPT_PURPOSE_ONLY=false` turns it
    /// off once `dispatchd secrets status` counts none (docs/PRIVACY.md).
    public var acceptsPurposeOnly = true

    /// Why a key file could not be loaded, in the shape of ``PostgresError``: an opaque
    /// ``Kind``; the description names the file and line, never a key.
    public struct LoadError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable, Equatable {
        /// Opaque and extensible: compare with `==`, never exhaustively.
        public struct Kind: Hashable, Sendable, CustomStringConvertible {
            private enum Base: String, Hashable, Sendable { case unreadable, empty, malformed, tooOpen }
            private let base: Base
            private init(_ base: Base) { self.base = base }

            public static let unreadable = Kind(.unreadable)
            public static let empty = Kind(.empty)
            /// A line that is not `KEY_ID:BASE64` of 32 bytes (see ``LoadError/line``).
            public static let malformed = Kind(.malformed)
            /// Group or others may read or write the file (see ``LoadError/mode``).
            public static let tooOpen = Kind(.tooOpen)

            public var description: String { base.rawValue }
        }

        public let kind: Kind
        public let path: String
        /// The 1-based line, for ``Kind/malformed``.
        public let line: Int?
        /// The file's permission bits, for ``Kind/tooOpen``.
        public let mode: Int?

        public init(_ kind: Kind, path: String, line: Int? = nil, mode: Int? = nil) {
            self.kind = kind
            self.path = path
            self.line = line
            self.mode = mode
        }

        public var description: String {
            if kind == .unreadable { return "master key file \(path) cannot be read" }
            if kind == .empty { return "master key file \(path) holds no key" }
            if kind == .tooOpen {
                let octal = String(mode ?? 0, radix: 8)
                return "master key file \(path) is readable or writable by group or others (mode \(octal)); run: chmod 600 \(path)"
            }
            return "master key file \(path) line \(line ?? 0): expected KEY_ID:BASE64 of 32 bytes"
        }

        public var debugDescription: String { "KeyRing.LoadError.\(kind): \(description)" }
    }

    public init(keys: [(id: String, bytes: [UInt8])]) {
        self.keys = keys.map { Key(id: $0.id, key: SymmetricKey(data: $0.bytes)) }
        precondition(!self.keys.isEmpty, "a key ring needs at least one key")
    }

    /// Loads a key ring from a file (see the type's documentation for the format).
    ///
    /// Refuses a file that group or others may read or write (any of the mode bits 077): the
    /// key opens every token, secret and buyer's data, so a daemon would rather not start than
    /// run on a key other local users can read. systemd's `LoadCredential` hands the daemons a
    /// 0400 copy; `scripts/install` and `scripts/run` create the file 0600.
    public static func load(path: String) throws -> KeyRing {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let data = FileManager.default.contents(atPath: path)
        else { throw LoadError(.unreadable, path: path) }
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw LoadError(.tooOpen, path: path, mode: mode)
        }
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
