public import Foundation
import Crypto

/// AES-256-GCM ciphertext with the id of the key that sealed it: `v1.KEY_ID.BASE64URL(nonce|ct|tag)`.
///
/// Used for secrets at rest and for personal data inside envelopes, so neither Redis nor a
/// Postgres dump holds them in clear. The key id travels beside the ciphertext so keys can rotate.
public struct Sealed: Sendable, Hashable, Codable, CustomStringConvertible {
    public let text: String

    public init(text: String) { self.text = text }

    public init(from decoder: any Decoder) throws {
        text = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    /// Never print the ciphertext itself in logs; the key id is enough to debug.
    public var description: String { "Sealed(key: \(keyID ?? "?"))" }

    public var keyID: String? {
        let parts = text.split(separator: ".", maxSplits: 2)
        return parts.count == 3 ? String(parts[1]) : nil
    }

    public enum SealError: Error, CustomStringConvertible {
        case malformed
        case unknownKey(String)
        case authenticationFailed

        public var description: String {
            switch self {
            case .malformed: return "sealed value is malformed"
            case .unknownKey(let id): return "sealed value uses unknown key id \(id)"
            case .authenticationFailed: return "sealed value failed authentication (wrong key or tampered)"
            }
        }
    }
}

extension KeyRing {
    /// Encrypts `plaintext` with the active key. `context` is bound as associated data so a
    /// ciphertext cannot be moved to another field (e.g. a token pasted where a secret belongs).
    public func seal(_ plaintext: some DataProtocol, context: String) throws -> Sealed {
        let active = keys[0]
        let box = try AES.GCM.seal(plaintext, using: active.key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw Sealed.SealError.malformed }
        return Sealed(text: "v1.\(active.id).\(Base64URL.encode(combined))")
    }

    public func seal(string: String, context: String) throws -> Sealed {
        try seal(Data(string.utf8), context: context)
    }

    /// Decrypts with whichever key sealed it.
    public func open(_ sealed: Sealed, context: String) throws -> Data {
        let parts = sealed.text.split(separator: ".", maxSplits: 2)
        guard parts.count == 3, parts[0] == "v1", let combined = Base64URL.decode(String(parts[2])) else {
            throw Sealed.SealError.malformed
        }
        let keyID = String(parts[1])
        guard let key = key(id: keyID) else { throw Sealed.SealError.unknownKey(keyID) }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            return try AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
        } catch {
            throw Sealed.SealError.authenticationFailed
        }
    }

    public func openString(_ sealed: Sealed, context: String) throws -> String {
        String(decoding: try open(sealed, context: context), as: UTF8.self)
    }
}

/// Base64url without padding (RFC 4648 §5).
enum Base64URL {
    static func encode(_ data: Data) -> String {
        var s = data.base64EncodedString()
        s = s.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while s.hasSuffix("=") { s.removeLast() }
        return s
    }

    static func decode(_ s: String) -> Data? {
        var t = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while t.count % 4 != 0 { t.append("=") }
        return Data(base64Encoded: t)
    }
}
