import Foundation

/// Stripe: header `Stripe-Signature: t=<unix s>,v1=<hex>[,v1=<hex>…][,v0=<hex>]`; each `v1` is
/// hex HMAC-SHA256(endpoint secret, "{t}.{raw body}").
///
/// - Only `v1` counts. Test mode adds a `v0` with a fake signature; accepting it would let an
///   attacker downgrade the scheme.
/// - Several `v1` values appear while Stripe rotates the endpoint secret; any `v1` matching any
///   configured secret passes.
/// - `|now − t|` must be within the tolerance in *both* directions. Stripe's SDKs reject only
///   old timestamps; a far-future `t` would make a captured delivery replayable for as long,
///   so it is refused too.
/// - The signature is checked before the timestamp, so `staleTimestamp` is only ever reported
///   for a genuine delivery — in practice a replay or a skewed clock — never for forged traffic.
extension WebhookAuthenticator {
    static func verifyStripe(
        rawBody: [UInt8], headers: (String) -> String?, secrets: [String], now: Date, tolerance: TimeInterval
    ) -> WebhookAuthResult {
        guard let header = headers("Stripe-Signature"), !header.trimmingASCIIBlanks.isEmpty else {
            return .rejected(reason: .missingSignature)
        }
        guard let items = SignatureHeader.parse(header) else { return .rejected(reason: .malformedHeader) }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for item in items {
            switch item.key {
            case "t":
                // One timestamp, plain decimal digits: anything else is ambiguous.
                guard timestamp == nil, (1...12).contains(item.value.utf8.count),
                      item.value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                      let t = Int64(item.value) else { return .rejected(reason: .malformedHeader) }
                timestamp = t
            case "v1":
                // A v1 that is not 32 bytes of hex can match nothing; skip it, keep the others.
                if let bytes = Hex.decode(item.value), bytes.count == 32 { signatures.append(bytes) }
            default:
                continue // v0 and future schemes are ignored by design.
            }
        }
        guard let timestamp else { return .rejected(reason: .malformedHeader) }
        guard !signatures.isEmpty else { return .rejected(reason: .missingSignature) }

        // Stripe signs the decimal timestamp as it formats it, then ".", then the raw body.
        let prefix = Array("\(timestamp).".utf8)
        var matched = false
        for secret in secrets {
            let expected = WebhookMAC.sha256(key: secret, prefix, rawBody)
            for signature in signatures where constantTimeEquals(expected, signature) { matched = true }
        }
        guard matched else { return .rejected(reason: .badSignature) }
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else {
            return .rejected(reason: .staleTimestamp)
        }
        return .ok
    }
}
