public import Foundation

/// `custom_data` of a server event: the standard commerce fields plus free-form extras.
///
/// `value` and `currency` are required for `Purchase` (checked by `CAPIEventValidator`).
/// Empty fields are omitted from the JSON. `extra` is merged in at the top level of
/// `custom_data`; a key that clashes with a standard one is not sent (the standard field wins,
/// and the validator reports the clash so the mistake is seen rather than silently lost).
public struct CAPICustomData: Sendable, Equatable, Hashable, Encodable {
    /// Monetary value of the conversion, in `currency` units (not minor units: 19.90, not 1990).
    ///
    /// A `Decimal`, never a binary float: the amount a gateway gave (`10.31`, Stripe's `4999`
    /// cents) reaches Meta as the same decimal digits (`10.31`, `49.99`), written by
    /// `JSONWriter.decimal`. NaN is refused when encoding.
    public var value: Decimal?
    /// ISO 4217 code; sent trimmed and uppercased ("brl" -> "BRL").
    public var currency: String?
    public var orderId: String?
    public var contentIds: [String]?
    /// "product" or "product_group".
    public var contentType: String?
    public var numItems: Int?
    /// Other `custom_data` properties, sent as strings (e.g. "content_name", "predicted_ltv").
    public var extra: [String: String]

    /// The JSON keys of the typed fields, which `extra` may not use.
    public static let standardKeys: Set<String> = [
        "value", "currency", "order_id", "content_ids", "content_type", "num_items",
    ]

    public init(
        value: Decimal? = nil, currency: String? = nil, orderId: String? = nil, contentIds: [String]? = nil,
        contentType: String? = nil, numItems: Int? = nil, extra: [String: String] = [:]
    ) {
        self.value = value
        self.currency = currency
        self.orderId = orderId
        self.contentIds = contentIds
        self.contentType = contentType
        self.numItems = numItems
        self.extra = extra
    }

    /// A `/track` value (parsed from the page's JSON as a Double) as the decimal the page
    /// wrote: Swift's shortest round-trip text of the Double (`10.31`, not
    /// `10.3099999999999996`), read exactly. Binary-float noise is never invented.
    public static func browserValue(_ value: Double) -> Decimal {
        guard value.isFinite else { return .nan }
        return Decimal(string: value.description, locale: Locale(identifier: "en_US_POSIX")) ?? .nan
    }

    /// The currency as sent: trimmed and uppercased, nil when empty.
    public var normalizedCurrency: String? { MetaJSON.nonEmpty(currency)?.uppercased() }

    /// Content ids as sent: trimmed, empty ones dropped, nil when none is left.
    var sentContentIds: [String]? {
        let ids = (contentIds ?? []).compactMap(MetaJSON.nonEmpty)
        return ids.isEmpty ? nil : ids
    }

    /// `extra` entries that will be sent: non-empty values under non-standard keys.
    var sentExtra: [String: String] {
        extra.filter { key, value in
            !key.isEmpty && !Self.standardKeys.contains(key) && MetaJSON.nonEmpty(value) != nil
        }
    }

    /// True when encoding would produce `{}`.
    public var isEmpty: Bool {
        value == nil && normalizedCurrency == nil && MetaJSON.nonEmpty(orderId) == nil && sentContentIds == nil
            && MetaJSON.nonEmpty(contentType) == nil && numItems == nil && sentExtra.isEmpty
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        if let value, value.isNaN {
            // JSONEncoder would write a bare `NaN`, which is not JSON.
            throw EncodingError.invalidValue(value, .init(codingPath: c.codingPath + [AnyCodingKey("value")],
                                                          debugDescription: "Unable to encode NaN in JSON."))
        }
        try c.encodeIfPresent(value, forKey: AnyCodingKey("value"))
        try c.encodeIfPresent(normalizedCurrency, forKey: AnyCodingKey("currency"))
        try c.encodeIfPresent(MetaJSON.nonEmpty(orderId), forKey: AnyCodingKey("order_id"))
        try c.encodeIfPresent(sentContentIds, forKey: AnyCodingKey("content_ids"))
        try c.encodeIfPresent(MetaJSON.nonEmpty(contentType), forKey: AnyCodingKey("content_type"))
        try c.encodeIfPresent(numItems, forKey: AnyCodingKey("num_items"))
        for (key, value) in sentExtra {
            try c.encode(value, forKey: AnyCodingKey(key))
        }
    }
}
