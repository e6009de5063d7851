public import Foundation

/// Turns a gateway webhook — the raw body exactly as received, plus the request's query and
/// headers — into one normalised ``Conversion``.
///
/// Pure: no I/O, no clock (except the `receivedAt` default), no logging. Authentication is
/// not done here (`WebhookAuthenticator` ran in ingestd before the body was accepted).
///
/// Policy shared by every gateway parser:
/// - **Strict** about what identifies the event: the event type (else `.malformed`), the
///   transaction id (present, ≤ ``maxTransactionIDLength`` characters, no whitespace or control
///   characters), a non-negative amount and an ISO-4217 currency. Without them no correct
///   Purchase or ledger row can exist, so the body is dead-lettered instead of guessed at.
/// - **Tolerant** of everything else: missing optional fields, numbers sent as strings (and
///   strings sent as numbers), amounts with a decimal comma, null objects.
/// - **Unknown event types are ignored** (`.ignored` with the type), never errors: gateways
///   add events, and an error would make the sender retry forever.
/// - Reasons name fields and event types only; no value from the buyer ever appears in one.
public enum GatewayParser {
    /// Longest transaction id accepted (Kiwify UUIDs are 36, Stripe ids ~30, Hotmart ~17).
    public static let maxTransactionIDLength = 80

    /// Parses one webhook delivery.
    ///
    /// - Parameters:
    ///   - gateway: from the route `/webhooks/{gateway}/{account}`.
    ///   - account: the account name from the route; copied into the conversion.
    ///   - body: the raw body, unmodified.
    ///   - contentType: the request's `Content-Type` (Monetizze may post JSON or a form).
    ///   - query: the decoded query pairs (Mercado Pago's `data.id`/`type`, legacy `topic`/`id`).
    ///   - headers: request headers; names are matched case-insensitively. No parser needs one
    ///     today (`content-type` is read when `contentType` is nil).
    ///   - receivedAt: when the webhook arrived; used as `occurredAt` only when the payload
    ///     carries no usable time.
    public static func parse(
        gateway: Gateway, account: String, body: [UInt8], contentType: String?,
        query: [(String, String)], headers: [String: String], receivedAt: Date = Date()
    ) -> ParseResult {
        let contentType = contentType ?? header("content-type", in: headers)
        let context = SalesContext(gateway: gateway, account: account, receivedAt: receivedAt)
        switch gateway {
        case .hotmart:
            return run { try HotmartParser.parse(json: try jsonObject(body), context: context) }
        case .kiwify:
            return run { try KiwifyParser.parse(json: try jsonObject(body), context: context) }
        case .eduzz:
            return run { try EduzzParser.parse(json: try jsonObject(body), context: context) }
        case .monetizze:
            return run { try MonetizzeParser.parse(body: body, contentType: contentType, context: context) }
        case .stripe:
            return run { try StripeParser.parse(json: try jsonObject(body), context: context) }
        case .mercadopago:
            return run { try MercadoPagoParser.parseWebhook(body: body, query: query) }
        case .telegram:
            return .ignored(reason: "telegram bot update: not a sale", eventType: nil)
        }
    }

    /// ``parse(gateway:account:body:contentType:query:headers:receivedAt:)`` for a body held as `Data`.
    public static func parse(
        gateway: Gateway, account: String, body: Data, contentType: String?,
        query: [(String, String)], headers: [String: String], receivedAt: Date = Date()
    ) -> ParseResult {
        parse(gateway: gateway, account: account, body: [UInt8](body), contentType: contentType,
              query: query, headers: headers, receivedAt: receivedAt)
    }

    /// Parses the body of `GET /v1/payments/{id}` fetched after a Mercado Pago webhook
    /// (``ParseResult/needsFetch(_:)``) into the conversion.
    public static func parseMercadoPagoPayment(account: String, json: [UInt8], receivedAt: Date = Date()) -> ParseResult {
        let context = SalesContext(gateway: .mercadopago, account: account, receivedAt: receivedAt)
        return run { try MercadoPagoParser.parsePayment(json: try jsonObject(json), context: context) }
    }

    /// ``parseMercadoPagoPayment(account:json:receivedAt:)`` for a body held as `Data`.
    public static func parseMercadoPagoPayment(account: String, json: Data, receivedAt: Date = Date()) -> ParseResult {
        parseMercadoPagoPayment(account: account, json: [UInt8](json), receivedAt: receivedAt)
    }

    // MARK: - Shared plumbing

    static func run(_ body: () throws -> ParseResult) -> ParseResult {
        do {
            return try body()
        } catch let reject as SalesReject {
            return reject.result
        } catch {
            return .malformed(reason: "unexpected parser failure")
        }
    }

    static func header(_ name: String, in headers: [String: String]) -> String? {
        if let v = headers[name] { return v }
        for (key, value) in headers where key.lowercased() == name { return value }
        return nil
    }

    static func jsonObject(_ body: [UInt8]) throws(SalesReject) -> JSONValue {
        guard let json = JSONValue.parse(body) else { throw .malformed("body is not valid JSON") }
        guard json.objectMembers != nil else { throw .malformed("body is not a JSON object") }
        return json
    }
}

/// Everything a gateway parser needs besides the body.
struct SalesContext: Sendable {
    var gateway: Gateway
    var account: String
    var receivedAt: Date
}

/// An early exit from a parser: `.ignored` or `.malformed`.
struct SalesReject: Error {
    var result: ParseResult

    static func malformed(_ reason: String) -> SalesReject {
        SalesReject(result: .malformed(reason: reason))
    }

    static func ignored(_ reason: String, eventType: String?) -> SalesReject {
        SalesReject(result: .ignored(reason: reason, eventType: eventType))
    }
}

/// Field readers shared by the gateway parsers; each throws a reason naming the field.
enum SalesField {
    /// The event type: a non-empty string (a number is accepted for Monetizze's codes).
    /// Cleaned for reasons/storage: printable ASCII only, at most 100 characters.
    static func eventType(_ value: JSONValue?, field: String) throws(SalesReject) -> String {
        guard let value, !value.isNull else { throw .malformed("missing event type (\(field))") }
        guard let raw = value.string else { throw .malformed("event type (\(field)) is not a string") }
        return sanitizedEventType(raw)
    }

    /// `raw` with anything but printable ASCII (space included) replaced by `?`, truncated to
    /// 100 characters, so an event type can be shown and stored safely.
    static func sanitizedEventType(_ raw: String) -> String {
        String(String.UnicodeScalarView(raw.unicodeScalars.prefix(100).map { (0x20...0x7E).contains($0.value) ? $0 : "?" }))
    }

    /// The transaction id: a string or a number, trimmed, 1…`maxTransactionIDLength`
    /// characters, no whitespace or control characters.
    static func transactionID(_ value: JSONValue?, field: String) throws(SalesReject) -> String {
        guard let value, !value.isNull else { throw .malformed("missing transaction id (\(field))") }
        guard let id = value.string else { throw .malformed("transaction id (\(field)) is not a string or number") }
        guard id.count <= GatewayParser.maxTransactionIDLength,
              id.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && !$0.properties.isWhitespace })
        else { throw .malformed("transaction id (\(field)) has an unusable format") }
        return id
    }

    /// An amount in currency units, exact; 0…`SalesMoney.maxAmount`.
    static func amount(_ value: JSONValue?, field: String) throws(SalesReject) -> Decimal {
        guard let value, !value.isNull else { throw .malformed("missing amount (\(field))") }
        guard let d = value.decimal else { throw .malformed("amount (\(field)) is not a number") }
        guard SalesMoney.isAcceptable(d) else { throw .malformed("amount (\(field)) is out of range") }
        return d
    }

    /// An amount in integer minor units (cents) converted at `exponent` decimal places.
    static func minorUnits(_ value: JSONValue?, field: String, exponent: Int) throws(SalesReject) -> Decimal {
        guard let value, !value.isNull else { throw .malformed("missing amount (\(field))") }
        guard let units = integerMinorUnits(value) else {
            throw .malformed("amount (\(field)) is not an integer number of minor units")
        }
        let d = SalesMoney.fromMinorUnits(units, exponent: exponent)
        guard SalesMoney.isAcceptable(d) else { throw .malformed("amount (\(field)) is out of range") }
        return d
    }

    /// An integral JSON number (`5073`, `5073.0`) or a string of ASCII digits (`"5073"`). A
    /// string with a separator ("50.73") is refused rather than guessed at: read as cents it
    /// would be a hundred times too small.
    static func integerMinorUnits(_ value: JSONValue) -> Int64? {
        switch value {
        case .number:
            return value.int64
        case .string(let s):
            let t = s.trimmedSales
            let digits = t.hasPrefix("-") ? t.dropFirst() : Substring(t)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return Int64(t)
        default:
            return nil
        }
    }

    /// The currency: the first candidate holding a non-empty value must be an ISO-4217 code
    /// (else malformed: a wrong currency is worse than none); with no value at all, `fallback`
    /// if given, else malformed.
    static func currency(_ candidates: [JSONValue?], field: String, fallback: String? = nil) throws(SalesReject) -> String {
        for case let candidate? in candidates {
            guard let text = candidate.string else {
                if candidate.isNull { continue }
                if case .string = candidate { continue } // "" or whitespace: absent
                throw .malformed("currency (\(field)) is not an ISO-4217 code")
            }
            guard let code = SalesCurrency.normalize(text) else {
                throw .malformed("currency (\(field)) is not an ISO-4217 code")
            }
            return code
        }
        if let fallback { return fallback }
        throw .malformed("missing currency (\(field))")
    }

    /// Largest quantity one line item may count for.
    static let maxQuantity = 1_000_000

    /// The number of items across line items: each quantity (missing → 1) clamped to
    /// 0…``maxQuantity`` so a hostile or mangled number cannot overflow; nil for no items.
    static func itemCount(_ quantities: [JSONValue?]) -> Int? {
        guard !quantities.isEmpty else { return nil }
        return quantities.reduce(0) { total, q in total + min(max(q.int64 ?? 1, 0), Int64(maxQuantity)) }
            .clampedToInt
    }

    /// Distinct non-empty ids, order kept.
    static func ids(_ values: [JSONValue?]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for case let id? in values.map({ $0?.string }) where seen.insert(id).inserted {
            out.append(id)
        }
        return out
    }
}

extension Int64 {
    fileprivate var clampedToInt: Int { Int(clamping: self) }
}
