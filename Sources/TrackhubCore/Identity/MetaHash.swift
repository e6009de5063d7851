import Crypto

/// SHA-256 as Meta wants it for `user_data`: lowercase hex of the UTF-8 bytes of the
/// already-normalized value.
///
/// Meta matches on the hash, so a single byte of difference (an upper-case letter, a trailing
/// space, a decomposed accent) silently produces no match; normalization happens before this.
public enum MetaHash {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hex SHA-256 of `value`'s UTF-8 bytes.
    public static func sha256Hex(_ value: String) -> String {
        let digest = SHA256.hash(data: Array(value.utf8))
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when `value` is exactly 64 lowercase hex characters: what a SHA-256 hex digest looks like.
    ///
    /// Callers that already hold hashed values (a partner that only shares hashes, a replay of
    /// stored hashes) must not be hashed twice, or Meta receives a hash of a hash and matches nothing.
    /// The check is on the exact string: trim and lowercase first if the input may be sloppy.
    public static func isSHA256Hex(_ value: String) -> Bool {
        let bytes = value.utf8
        guard bytes.count == 64 else { return false }
        return bytes.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
