public import Foundation

/// One Meta Conversions API server event, ready to encode.
///
/// Mirrors Meta's server event parameters with Swift names; the JSON uses Meta's snake_case
/// names and omits nil and empty fields, because Meta treats an empty string as a (bad) value.
/// `action_source` and `user_data` are non-optional so they cannot be forgotten; the rest of
/// Meta's rules (required fields per source, time window, Purchase fields) are checked by
/// `CAPIEventValidator` before sending.
public struct CAPIEvent: Sendable, Equatable, Hashable, Encodable {
    public var eventName: CAPIEventName
    /// Unix time in SECONDS (not milliseconds) when the conversion happened.
    public var eventTime: Int
    /// Deduplication key, shared with the browser pixel's `eventID` for the same conversion
    /// (for a purchase: the gateway transaction id).
    public var eventId: String?
    public var actionSource: CAPIActionSource
    /// The page where the conversion happened; required for `website`.
    public var eventSourceUrl: String?
    public var referrerUrl: String?
    /// True: Meta uses the event for attribution only, not for ads delivery optimization.
    public var optOut: Bool?
    public var userData: CAPIUserData
    public var customData: CAPICustomData?
    public var dataProcessingOptions: CAPIDataProcessingOptions?

    public init(
        eventName: CAPIEventName, eventTime: Int, eventId: String? = nil, actionSource: CAPIActionSource,
        eventSourceUrl: String? = nil, referrerUrl: String? = nil, optOut: Bool? = nil,
        userData: CAPIUserData, customData: CAPICustomData? = nil,
        dataProcessingOptions: CAPIDataProcessingOptions? = nil
    ) {
        self.eventName = eventName
        self.eventTime = eventTime
        self.eventId = eventId
        self.actionSource = actionSource
        self.eventSourceUrl = eventSourceUrl
        self.referrerUrl = referrerUrl
        self.optOut = optOut
        self.userData = userData
        self.customData = customData
        self.dataProcessingOptions = dataProcessingOptions
    }

    /// Convenience: `eventTime` from a `Date`, truncated to whole seconds.
    public init(
        eventName: CAPIEventName, eventDate: Date, eventId: String? = nil, actionSource: CAPIActionSource,
        eventSourceUrl: String? = nil, referrerUrl: String? = nil, optOut: Bool? = nil,
        userData: CAPIUserData, customData: CAPICustomData? = nil,
        dataProcessingOptions: CAPIDataProcessingOptions? = nil
    ) {
        self.init(
            eventName: eventName, eventTime: Int(eventDate.timeIntervalSince1970.rounded(.down)), eventId: eventId,
            actionSource: actionSource, eventSourceUrl: eventSourceUrl, referrerUrl: referrerUrl, optOut: optOut,
            userData: userData, customData: customData, dataProcessingOptions: dataProcessingOptions)
    }

    // `jsonData()` (the blob that is sent) is in CAPIEvent+JSON.swift; `encode(to:)` below is
    // the reference it is tested against.

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encode(eventName.rawValue, forKey: AnyCodingKey("event_name"))
        try c.encode(eventTime, forKey: AnyCodingKey("event_time"))
        try c.encodeIfPresent(MetaJSON.nonEmpty(eventId), forKey: AnyCodingKey("event_id"))
        try c.encode(actionSource, forKey: AnyCodingKey("action_source"))
        try c.encodeIfPresent(MetaJSON.nonEmpty(eventSourceUrl), forKey: AnyCodingKey("event_source_url"))
        try c.encodeIfPresent(MetaJSON.nonEmpty(referrerUrl), forKey: AnyCodingKey("referrer_url"))
        try c.encodeIfPresent(optOut, forKey: AnyCodingKey("opt_out"))
        try c.encode(userData, forKey: AnyCodingKey("user_data"))
        if let customData, !customData.isEmpty {
            try c.encode(customData, forKey: AnyCodingKey("custom_data"))
        }
        if let dpo = dataProcessingOptions {
            try c.encode(dpo.options, forKey: AnyCodingKey("data_processing_options"))
            try c.encodeIfPresent(dpo.country, forKey: AnyCodingKey("data_processing_options_country"))
            try c.encodeIfPresent(dpo.state, forKey: AnyCodingKey("data_processing_options_state"))
        }
    }
}
