public import Foundation

/// Authenticates payment-gateway webhooks exactly as each gateway defines it (reference §2),
/// over the raw body as received and with constant-time comparisons.
///
/// Why "exactly": community snippets for these gateways often check the wrong header or
/// re-serialise the JSON before hashing; either breaks verification or, worse, accepts forged
/// deliveries. Each gateway's rule lives in its own `WebhookAuthenticator+Gateway.swift`.
///
/// Several secrets may be configured per account so a secret can be rotated without
/// rejecting deliveries signed with the old one; any match passes. Empty secrets are ignored.
public enum WebhookAuthenticator {
    /// Stripe's default tolerance (stripe-python `Webhook.DEFAULT_TOLERANCE`), in seconds.
    public static let defaultStripeTolerance: TimeInterval = 300

    /// Verifies one delivery.
    ///
    /// - Parameters:
    ///   - gateway: which gateway's rule applies.
    ///   - rawBody: the body bytes exactly as received (never re-encoded).
    ///   - headers: case-insensitive header lookup.
    ///   - query: the request's decoded query parameters (Kiwify's `signature`, Mercado Pago's
    ///     `data.id`).
    ///   - secrets: the account's secrets, current and previous during a rotation.
    ///   - now: the receive time (Stripe's timestamp check).
    ///   - stripeTolerance: how far Stripe's `t` may be from `now`, in either direction.
    public static func verify(
        gateway: Gateway,
        rawBody: [UInt8],
        headers: (String) -> String?,
        query: [(String, String)],
        secrets: [String],
        now: Date,
        stripeTolerance: TimeInterval = defaultStripeTolerance
    ) -> WebhookAuthResult {
        let secrets = secrets.filter { !$0.isEmpty }
        guard !secrets.isEmpty else { return .rejected(reason: .noSecretConfigured) }
        switch gateway {
        case .hotmart:
            return verifyHotmart(rawBody: rawBody, headers: headers, secrets: secrets)
        case .kiwify:
            return verifyKiwify(rawBody: rawBody, query: query, secrets: secrets)
        case .eduzz:
            return verifyEduzz(rawBody: rawBody, headers: headers, secrets: secrets)
        case .monetizze:
            return verifyMonetizze(rawBody: rawBody, headers: headers, secrets: secrets)
        case .mercadopago:
            return verifyMercadoPago(headers: headers, query: query, secrets: secrets)
        case .stripe:
            return verifyStripe(rawBody: rawBody, headers: headers, secrets: secrets, now: now, tolerance: stripeTolerance)
        case .telegram:
            return verifyTelegram(headers: headers, secrets: secrets)
        }
    }

    /// ``verify(gateway:rawBody:headers:query:secrets:now:stripeTolerance:)`` for a body held as `Data`.
    public static func verify(
        gateway: Gateway,
        rawBody: Data,
        headers: (String) -> String?,
        query: [(String, String)],
        secrets: [String],
        now: Date,
        stripeTolerance: TimeInterval = defaultStripeTolerance
    ) -> WebhookAuthResult {
        verify(gateway: gateway, rawBody: [UInt8](rawBody), headers: headers, query: query,
               secrets: secrets, now: now, stripeTolerance: stripeTolerance)
    }

    /// Whether a body has the shape this gateway sends, checked before authentication so a
    /// misrouted or garbage request gets a 400 with a reason instead of a bare 401.
    ///
    /// A JSON object for every gateway except Monetizze, whose legacy postback is
    /// `application/x-www-form-urlencoded` (PHP `$_POST`); a JSON object is accepted there too
    /// when the request says `Content-Type: application/json`.
    public static func checkBodyShape(gateway: Gateway, rawBody: [UInt8], contentType: String?) -> Bool {
        switch gateway {
        case .monetizze:
            if MediaType.isJSON(contentType) { return JSONReader.scanObject(rawBody).isObject }
            return isFormShaped(rawBody)
        case .hotmart, .kiwify, .eduzz, .mercadopago, .stripe, .telegram:
            return JSONReader.scanObject(rawBody).isObject
        }
    }

    /// ``checkBodyShape(gateway:rawBody:contentType:)`` for a body held as `Data`.
    public static func checkBodyShape(gateway: Gateway, rawBody: Data, contentType: String?) -> Bool {
        checkBodyShape(gateway: gateway, rawBody: [UInt8](rawBody), contentType: contentType)
    }

    /// A form body: at least one `name=value`, not JSON sent with the wrong content type, and
    /// no control characters besides line breaks and tabs (which sloppy senders append).
    /// Non-ASCII bytes are tolerated: legacy PHP senders sometimes skip encoding accents.
    static func isFormShaped(_ body: [UInt8]) -> Bool {
        guard let first = body.first, first != UInt8(ascii: "{"), first != UInt8(ascii: "[") else { return false }
        var hasEquals = false
        for c in body {
            if c == UInt8(ascii: "=") {
                hasEquals = true
            } else if c < 0x20 {
                guard c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") else { return false }
            } else if c == 0x7F {
                return false
            }
        }
        return hasEquals
    }

    /// Whether `presented` equals any secret, in constant time per comparison.
    static func matchesAnySecret(_ presented: String, _ secrets: [String]) -> Bool {
        var matched = false
        for secret in secrets where constantTimeEquals(presented, secret) { matched = true }
        return matched
    }
}

/// Just enough media-type parsing to tell JSON from a form.
enum MediaType {
    /// `application/json` or any `…+json` type, ignoring parameters and case.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let type = essence(contentType) else { return false }
        return type == "application/json" || type.hasSuffix("+json")
    }

    /// The lowercased `type/subtype` without parameters.
    static func essence(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        let head = contentType.prefix { $0 != ";" }.trimmingASCIIBlanks
        return head.isEmpty ? nil : head.lowercased()
    }
}
