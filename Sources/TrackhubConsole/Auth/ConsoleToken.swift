import Crypto
import Foundation
import TrackhubCore

/// Random tokens (session cookies, CSRF tokens, the one-time setup token) and the hash under
/// which the database keeps them: only the browser or the operator holds the value, so a copy
/// of the database does not log anyone in.
public enum ConsoleToken {
    /// 32 random bytes as 64 hex characters (cookie-safe, form-safe).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Hex.encode(bytes)
    }

    /// SHA-256 of the token as hex: the stored form.
    public static func hash(_ token: String) -> String {
        Hex.encode(Array(SHA256.hash(data: Data(token.utf8))))
    }

    /// Constant-time comparison of a submitted token with the expected one.
    public static func matches(_ submitted: String?, _ expected: String) -> Bool {
        guard let submitted, !expected.isEmpty else { return false }
        return constantTimeEquals(submitted, expected)
    }
}
