import Foundation

/// A stored webhook body as a person may see it (`privacy export`, the console's Exportar): the
/// gateway's shared secret that some deliveries carry inside the body — Hotmart's `hottok`,
/// Monetizze's `chave_unica` (``WebhookAuthenticator``) — replaced by ``mark``, so answering a
/// buyer's access request never hands them the store's webhook secret. Pure.
///
/// The secret is read where the authenticator reads it (a top-level member of a JSON object, or
/// a form field) and every occurrence of its value — as is and percent-encoded — is replaced.
public enum WebhookSecretRedaction {
    /// Body fields that hold a gateway's shared secret.
    public static let fields = ["hottok", "chave_unica"]
    public static let mark = "[redacted]"

    public static func redact(_ body: String) -> String {
        let bytes = Array(body.utf8)
        let isObject = JSONReader.scanObject(bytes).isObject
        var secrets: [String] = []
        for field in fields {
            let value = isObject ? JSONReader.scanObject(bytes, capturing: field).member : QueryString.firstValue(named: field, in: bytes)
            if let value, !value.isEmpty { secrets.append(value) }
        }
        var out = body
        for secret in secrets {
            out = out.replacingOccurrences(of: secret, with: mark)
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != secret {
                out = out.replacingOccurrences(of: encoded, with: mark)
            }
        }
        return out
    }
}
