public import Foundation
import Crypto

/// AES-256-GCM ciphertext with the id of the key that sealed it: `FORM.KEY_ID.BASE64URL(nonce|ct|tag)`,
/// `FORM` being `v2` (bound to purpose, tenant and record) or `v1` (purpose only, written
/// before issue 18; see ``Form``).
///
/// Used for secrets at rest and for personal data inside envelopes, so neither Redis nor a
/// Postgres dump holds them in clear. The key id travels beside the ciphertext so keys can rotate;
/// the form travels too so values sealed before binding still open while they are migrated.
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

    /// Which associated data the value was sealed with; nil for a malformed text.
    public var form: Form? { text.split(separator: ".", maxSplits: 1).first.flatMap(Form.init(prefix:)) }

    /// The associated data a value was sealed with (``SealContext``), named by its prefix.
    public enum Form: String, Sendable, CaseIterable {
        /// `v1`: the purpose alone (``SealContext/purposeOnlyData``): written before issue 18.
        case purposeOnly = "purpose-only"
        /// `v2`: purpose, tenant and record (``SealContext/associatedData``).
        case bound

        /// The text's first component.
        public var prefix: String { self == .bound ? "v2" : "v1" }

        init?(prefix: Substring) {
            switch prefix {
            case "v2": self = .bound
            case "v1": self = .purposeOnly
            default: return nil
            }
        }
    }

    /// Why a value could not be sealed or opened, in the shape of ``PostgresError``: an
    /// opaque ``Kind``; the description names the key id, never the ciphertext or plaintext.
    public struct SealError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable, Equatable {
        /// Opaque and extensible: compare with `==`, never exhaustively.
        public struct Kind: Hashable, Sendable, CustomStringConvertible {
            private enum Base: String, Hashable, Sendable { case malformed, unknownKey, authenticationFailed, purposeOnlyRefused }
            private let base: Base
            private init(_ base: Base) { self.base = base }

            /// Not `v1|v2.KEY_ID.BASE64URL`, or not a sealed box inside.
            public static let malformed = Kind(.malformed)
            /// Sealed with a key this ring does not hold (see ``SealError/keyID``).
            public static let unknownKey = Kind(.unknownKey)
            /// The wrong key or context (another field, record or tenant), or the value was tampered with.
            public static let authenticationFailed = Kind(.authenticationFailed)
            /// A `v1` (purpose-only) value while the ring refuses them (``KeyRing/acceptsPurposeOnly``).
            public static let purposeOnlyRefused = Kind(.purposeOnlyRefused)

            public var description: String { base.rawValue }
        }

        public let kind: Kind
        /// The key id the value names, for ``Kind/unknownKey`` (an id, not key material).
        public let keyID: String?

        public init(_ kind: Kind, keyID: String? = nil) {
            self.kind = kind
            self.keyID = keyID
        }

        public var description: String {
            if kind == .unknownKey { return "sealed value uses unknown key id \(keyID ?? "?")" }
            if kind == .authenticationFailed { return "sealed value failed authentication (wrong key, record or tenant, or tampered)" }
            if kind == .purposeOnlyRefused {
                return "sealed value is in the purpose-only form (v1), refused; run dispatchd secrets rotate"
            }
            return "sealed value is malformed"
        }

        public var debugDescription: String { "Sealed.SealError.\(kind): \(description)" }
    }
}

extension KeyRing {
    /// Encrypts `plaintext` with the active key, bound to `context` (purpose, tenant and
    /// record, ``SealContext/associatedData``): the `v2` form, the only one written.
    public func seal(_ plaintext: some DataProtocol, for context: SealContext) throws -> Sealed {
        try seal(plaintext, form: .bound, associatedData: context.associatedData)
    }

    public func seal(string: String, for context: SealContext) throws -> Sealed {
        try seal(Data(string.utf8), for: context)
    }

    /// The purpose-only `v1` form written before values were bound to tenant and record: only
    /// for tests and benchmarks that need such a value (migration, old envelopes).
    @_spi(PurposeOnlySeal)
    public func sealPurposeOnly(_ plaintext: some DataProtocol, for context: SealContext) throws -> Sealed {
        try seal(plaintext, form: .purposeOnly, associatedData: context.purposeOnlyData)
    }

    private func seal(_ plaintext: some DataProtocol, form: Sealed.Form, associatedData: Data) throws -> Sealed {
        let active = keys[0]
        let box = try AES.GCM.seal(plaintext, using: active.key, authenticating: associatedData)
        guard let combined = box.combined else { throw Sealed.SealError(.malformed) }
        return Sealed(text: "\(form.prefix).\(active.id).\(Base64URL.encode(combined))")
    }

    /// Decrypts with whichever key sealed it, checking it was sealed for `context`: a `v2`
    /// value against the whole context, a `v1` value against its purpose alone (refused
    /// with ``Sealed/SealError/Kind/purposeOnlyRefused`` when ``acceptsPurposeOnly`` is off).
    public func open(_ sealed: Sealed, for context: SealContext) throws -> Data {
        let parts = sealed.text.split(separator: ".", maxSplits: 2)
        guard parts.count == 3, let form = Sealed.Form(prefix: parts[0]), let combined = Base64URL.decode(String(parts[2])) else {
            throw Sealed.SealError(.malformed)
        }
        if form == .purposeOnly && !acceptsPurposeOnly { throw Sealed.SealError(.purposeOnlyRefused) }
        let keyID = String(parts[1])
        guard let key = key(id: keyID) else { throw Sealed.SealError(.unknownKey, keyID: keyID) }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            return try AES.GCM.open(box, using: key,
                                    authenticating: form == .bound ? context.associatedData : context.purposeOnlyData)
        } catch {
            throw Sealed.SealError(.authenticationFailed)
        }
    }

    public func openString(_ sealed: Sealed, for context: SealContext) throws -> String {
        String(decoding: try open(sealed, for: context), as: UTF8.self)
    }
}

/// Base64url without padding (RFC 4648 §5).
///
/// Byte-level: every webhook body and every user_data is sealed in ingestd and opened in
/// dispatchd, and Foundation's `replacingOccurrences` (an `NSString` bridge on Linux) made
/// opening a sealed webhook body a fifth of dispatchd's time per sale.
enum Base64URL {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The 6-bit value of each byte, 0xFF for bytes outside the base64url alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    static func encode(_ data: Data) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((data.count * 4 + 2) / 3)
        data.withUnsafeBytes { raw in
            let b = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i + 3 <= b.count {
                let n = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
                out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
                out.append(alphabet[Int(n >> 6 & 63)]); out.append(alphabet[Int(n & 63)])
                i += 3
            }
            let rest = b.count - i
            if rest == 1 {
                let n = UInt32(b[i]) << 16
                out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
            } else if rest == 2 {
                let n = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8
                out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)]); out.append(alphabet[Int(n >> 6 & 63)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// nil for a character outside the alphabet (padding included) or an impossible length.
    static func decode(_ s: String) -> Data? {
        let text = Array(s.utf8)
        guard text.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in text {
            let v = values[Int(c)]
            guard v != 0xFF else { return nil }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return Data(out)
    }
}
