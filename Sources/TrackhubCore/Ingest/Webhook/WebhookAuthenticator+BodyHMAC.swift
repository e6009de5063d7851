/// Gateways that sign the raw body with an HMAC keyed by the account's secret.
extension WebhookAuthenticator {
    /// Kiwify: query parameter `signature` = lowercase hex HMAC-SHA1(key: token, raw body).
    /// Kiwify sends no authentication header (headers such as `x-kiwify-signature` seen in
    /// community code do not exist). SHA-1 is Kiwify's choice; as an HMAC it is still sound.
    static func verifyKiwify(rawBody: [UInt8], query: [(String, String)], secrets: [String]) -> WebhookAuthResult {
        guard let signature = QueryString.first("signature", in: query), !signature.isEmpty else {
            return .rejected(reason: .missingSignature)
        }
        guard let presented = Hex.decode(signature), presented.count == 20 else {
            return .rejected(reason: .malformedHeader)
        }
        var matched = false
        for secret in secrets where constantTimeEquals(WebhookMAC.sha1(key: secret, rawBody), presented) {
            matched = true
        }
        return matched ? .ok : .rejected(reason: .badSignature)
    }

    /// Eduzz (webhook v3): header `x-signature` = hex HMAC-SHA256(key: secret, raw body). The
    /// docs give only the formula; hex of either case is accepted. A value that is not 64 hex
    /// digits is reported as malformed, so a change of encoding on Eduzz's side shows up in the
    /// logs as such rather than as forged traffic.
    static func verifyEduzz(rawBody: [UInt8], headers: (String) -> String?, secrets: [String]) -> WebhookAuthResult {
        guard let header = headers("x-signature")?.trimmingASCIIBlanks, !header.isEmpty else {
            return .rejected(reason: .missingSignature)
        }
        guard let presented = Hex.decode(header), presented.count == 32 else {
            return .rejected(reason: .malformedHeader)
        }
        var matched = false
        for secret in secrets where constantTimeEquals(WebhookMAC.sha256(key: secret, rawBody), presented) {
            matched = true
        }
        return matched ? .ok : .rejected(reason: .badSignature)
    }
}
