public import Foundation

// Reading an event back from Meta's JSON (the shape `jsonData()` and `encode(to:)` write):
// events waiting in the retry schedule, parked, or in a dead letter are stored as that JSON and
// come back as typed values, so a late click can patch fields and the event is re-validated
// before it is serialised again. Decoding what `jsonData()` wrote gives back a value that
// encodes to the same bytes.

extension CAPIEvent: Decodable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        let dpo = try c.decodeIfPresent([String].self, forKey: AnyCodingKey("data_processing_options"))
        self.init(
            eventName: CAPIEventName(try c.decode(String.self, forKey: AnyCodingKey("event_name"))),
            eventTime: try c.decode(Int.self, forKey: AnyCodingKey("event_time")),
            eventId: try c.decodeIfPresent(String.self, forKey: AnyCodingKey("event_id")),
            actionSource: try c.decode(CAPIActionSource.self, forKey: AnyCodingKey("action_source")),
            eventSourceUrl: try c.decodeIfPresent(String.self, forKey: AnyCodingKey("event_source_url")),
            referrerUrl: try c.decodeIfPresent(String.self, forKey: AnyCodingKey("referrer_url")),
            optOut: try c.decodeIfPresent(Bool.self, forKey: AnyCodingKey("opt_out")),
            userData: try c.decodeIfPresent(CAPIUserData.self, forKey: AnyCodingKey("user_data")) ?? CAPIUserData(),
            customData: try c.decodeIfPresent(CAPICustomData.self, forKey: AnyCodingKey("custom_data")),
            dataProcessingOptions: try dpo.map {
                CAPIDataProcessingOptions(options: $0,
                                          country: try c.decodeIfPresent(Int.self, forKey: AnyCodingKey("data_processing_options_country")),
                                          state: try c.decodeIfPresent(Int.self, forKey: AnyCodingKey("data_processing_options_state")))
            })
    }
}

extension CAPIUserData: Decodable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        func text(_ key: String) throws -> String? { try c.decodeIfPresent(String.self, forKey: AnyCodingKey(key)) }
        self.init(hashed: try HashedUserData(from: decoder), fbc: try text("fbc"), fbp: try text("fbp"),
                  clientIpAddress: try text("client_ip_address"), clientUserAgent: try text("client_user_agent"))
    }
}

extension CAPICustomData: Decodable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        var extra: [String: String] = [:]
        for key in c.allKeys where !Self.standardKeys.contains(key.stringValue) {
            extra[key.stringValue] = try c.decode(String.self, forKey: key)
        }
        self.init(value: try c.decodeIfPresent(Decimal.self, forKey: AnyCodingKey("value")),
                  currency: try c.decodeIfPresent(String.self, forKey: AnyCodingKey("currency")),
                  orderId: try c.decodeIfPresent(String.self, forKey: AnyCodingKey("order_id")),
                  contentIds: try c.decodeIfPresent([String].self, forKey: AnyCodingKey("content_ids")),
                  contentType: try c.decodeIfPresent(String.self, forKey: AnyCodingKey("content_type")),
                  numItems: try c.decodeIfPresent(Int.self, forKey: AnyCodingKey("num_items")),
                  extra: extra)
    }
}
