/// The outcome of authenticating one webhook delivery.
public enum WebhookAuthResult: Sendable, Equatable {
    /// The delivery proved knowledge of one of the account's secrets.
    case ok
    /// The delivery must be answered 401 and nothing appended.
    case rejected(reason: WebhookRejection)
}

/// Why a webhook was refused — coarse on purpose: it is logged for the operator, never sent
/// back to the caller, and never contains the expected value.
public enum WebhookRejection: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// The header, query parameter or field carrying the signature or token is absent.
    case missingSignature
    /// A signature or token was present and did not match any configured secret.
    case badSignature
    /// Stripe: the signature is genuine but its timestamp is outside the tolerance (a replay,
    /// or a clock that is off — check NTP).
    case staleTimestamp
    /// The signature header is present but not in the gateway's format (e.g. not hex, no `t=`).
    case malformedHeader
    /// The body is not what this gateway sends, so the field holding the token can't be read.
    case bodyShape
    /// The account has no usable secret. An empty secret proves nothing (Kiwify signs with an
    /// empty key when no token is set), so it is never accepted.
    case noSecretConfigured

    public var description: String { rawValue }
}
