public import Foundation

/// The event blob written with ``JSONWriter`` (profile ``JSONEscapeProfile/stored``) instead of
/// `JSONEncoder`: same members, same omissions and the same bytes as the `Encodable`
/// conformances of `CAPIEvent`, `CAPIUserData` and `CAPICustomData` (which stay the reference; a
/// unit test compares both) — except that U+0000 becomes U+FFFD, since the blob is also stored
/// in the ledger's `jsonb`.
extension CAPIEvent {
    /// The event as JSON with sorted keys: deterministic bytes, encoded once and then carried
    /// as a blob (see `CAPIRequestBody`). Throws only for a NaN `value`.
    public func jsonData() throws -> Data {
        Data(try jsonBytes())
    }

    func jsonBytes() throws -> [UInt8] {
        if let value = customData?.value, value.isNaN {
            throw EncodingError.invalidValue(value, .init(codingPath: [AnyCodingKey("custom_data"), AnyCodingKey("value")],
                                                          debugDescription: "Unable to encode NaN in JSON."))
        }
        var members: [JSONWriter.Member] = [
            ("event_name", { $0.string(eventName.rawValue) }),
            ("event_time", { $0.int(eventTime) }),
            ("action_source", { $0.string(actionSource.rawValue) }),
            ("user_data", { userData.write(to: &$0) }),
        ]
        if let id = MetaJSON.nonEmpty(eventId) { members.append(("event_id", { $0.string(id) })) }
        if let url = MetaJSON.nonEmpty(eventSourceUrl) { members.append(("event_source_url", { $0.string(url) })) }
        if let url = MetaJSON.nonEmpty(referrerUrl) { members.append(("referrer_url", { $0.string(url) })) }
        if let optOut { members.append(("opt_out", { $0.bool(optOut) })) }
        if let customData, !customData.isEmpty { members.append(("custom_data", { customData.write(to: &$0) })) }
        if let dpo = dataProcessingOptions {
            members.append(("data_processing_options", { $0.array(dpo.options) }))
            if let country = dpo.country { members.append(("data_processing_options_country", { $0.int(country) })) }
            if let state = dpo.state { members.append(("data_processing_options_state", { $0.int(state) })) }
        }
        var w = JSONWriter(profile: .stored)
        w.object(members)
        return w.bytes
    }
}

extension CAPIUserData {
    func write(to w: inout JSONWriter) {
        var members: [JSONWriter.Member] = []
        for key in HashedUserData.Key.allCases where !hashed[key].isEmpty {
            let values = hashed[key]
            members.append((key.rawValue, { $0.array(values) }))
        }
        for (key, value) in [("fbc", fbc), ("fbp", fbp), ("client_ip_address", clientIpAddress), ("client_user_agent", clientUserAgent)] {
            if let value = MetaJSON.nonEmpty(value) { members.append((key, { $0.string(value) })) }
        }
        w.object(members)
    }
}

extension CAPICustomData {
    /// Called only with a non-NaN `value` (checked by `CAPIEvent.jsonBytes`).
    func write(to w: inout JSONWriter) {
        var members: [JSONWriter.Member] = []
        if let value { members.append(("value", { $0.decimal(value) })) }
        if let currency = normalizedCurrency { members.append(("currency", { $0.string(currency) })) }
        if let orderId = MetaJSON.nonEmpty(orderId) { members.append(("order_id", { $0.string(orderId) })) }
        if let ids = sentContentIds { members.append(("content_ids", { $0.array(ids) })) }
        if let contentType = MetaJSON.nonEmpty(contentType) { members.append(("content_type", { $0.string(contentType) })) }
        if let numItems { members.append(("num_items", { $0.int(numItems) })) }
        for (key, value) in sentExtra { members.append((key, { $0.string(value) })) }
        w.object(members)
    }
}
