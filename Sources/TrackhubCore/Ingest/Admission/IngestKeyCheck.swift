import Foundation

/// Authenticates a server-to-server call (`POST /s2s/{event}`) from what ingestd has: the
/// hashes of the live ingest keys in the config snapshot. Pure.
///
/// The presented key is hashed (SHA-256, as stored) and compared with *every* live key's hash
/// in constant time, without an early exit, so neither the time taken nor the order of the keys
/// tells a caller how close a guess was or which tenant holds a key. Keys are 256 random bits,
/// so a fast hash is enough: there is nothing to brute-force offline.
public enum IngestKeyCheck {
    /// One live key: the stored hash (hex) and its tenant.
    public struct LiveKey: Sendable, Equatable {
        public let hash: String
        public let tenant: String
        public init(hash: String, tenant: String) { self.hash = hash; self.tenant = tenant }
    }

    /// Why a call was refused; the `reason` label of `trackhub_s2s_rejected_total`.
    public enum Rejection: String, Sendable, Equatable, CaseIterable {
        /// No `Authorization: Bearer …` header.
        case missing
        /// Not an ingest key at all (another prefix — a read API key `thk_…`, a Meta token — or
        /// not the shape of a key).
        case malformed
        /// Shaped like an ingest key but not a live one (revoked, mistyped, never existed).
        case unknown
    }

    public enum Outcome: Sendable, Equatable {
        case accepted(tenant: String)
        case rejected(Rejection)
    }

    /// The longest value accepted before hashing (a key is 4 + 64 characters).
    public static let maxKeyLength = 128

    /// The key in an `Authorization` header value (`Bearer <key>`, scheme case-insensitive).
    public static func bearer(_ authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let key = parts[1].trimmingCharacters(in: .whitespaces)
        return key.isEmpty ? nil : key
    }

    public static func check(authorization: String?, keys: [LiveKey]) -> Outcome {
        guard let authorization, !authorization.isEmpty else { return .rejected(.missing) }
        guard let key = bearer(authorization), key.utf8.count <= maxKeyLength,
              key.hasPrefix(APIKeyStore.ingestKeyPrefix) else { return .rejected(.malformed) }
        let presented = APIKeyStore.hash(key)
        var tenant: String?
        for live in keys where constantTimeEquals(presented, live.hash) && tenant == nil {
            tenant = live.tenant
        }
        return tenant.map { .accepted(tenant: $0) } ?? .rejected(.unknown)
    }
}
