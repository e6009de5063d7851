/// The payment a Mercado Pago webhook names: the webhook carries no amount, buyer or status,
/// so the caller fetches `GET /v1/payments/{paymentID}` with the account's access token and
/// hands the body to ``GatewayParser/parseMercadoPagoPayment(account:json:receivedAt:)``.
public struct MercadoPagoPaymentRef: Sendable, Codable, Equatable, Hashable {
    /// ASCII letters and digits only (checked by the parser), so it is safe in a URL path.
    public var paymentID: String

    public init(paymentID: String) {
        self.paymentID = paymentID
    }

    /// The API path to fetch, relative to `https://api.mercadopago.com`.
    public var apiPath: String { "/v1/payments/\(paymentID)" }
}

/// What one webhook body means.
///
/// `reason` strings are for operators (`dispatchd status`, logs): they name fields and event
/// types, never values from the buyer (no email, phone, name, document or IP).
public enum ParseResult: Sendable, Equatable {
    /// A sale event, normalised.
    case conversion(Conversion)
    /// A well-formed delivery that is not a sale event we act on (subscription changes,
    /// abandoned carts, unknown event types): store it, acknowledge it, do not retry.
    case ignored(reason: String, eventType: String?)
    /// Mercado Pago: fetch this payment, then parse it with `parseMercadoPagoPayment`.
    case needsFetch(MercadoPagoPaymentRef)
    /// The body lacks what a sale event needs (transaction id, event type, a usable amount or
    /// currency) or is not the format the gateway sends. Dead-letter it; retrying cannot help.
    case malformed(reason: String)

    public var conversion: Conversion? {
        if case .conversion(let c) = self { return c }
        return nil
    }

    /// The reason of an ignored or malformed result.
    public var reason: String? {
        switch self {
        case .ignored(let reason, _), .malformed(let reason): return reason
        case .conversion, .needsFetch: return nil
        }
    }
}
