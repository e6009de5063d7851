public import Foundation

/// Checks a `CAPIEvent` against Meta's rules before it is sent, so an event Meta would refuse
/// is dead-lettered on its own instead of making Meta reject the whole batch it travels in.
///
/// Rules (Meta's server event and customer information parameter docs):
/// - `event_name` non-empty; `event_time` positive, at most 7 days old (62 for
///   `physical_store`) and not in the future beyond `maxFutureSkew`;
/// - `user_data` has at least one key; `client_ip_address`, `fbc`, `fbp` well formed;
/// - `website` events have an http(s) `event_source_url` and a `client_user_agent`;
/// - `Purchase` has `custom_data.value` and `custom_data.currency`; any value is finite and not
///   negative, any currency is 3 letters;
/// - `custom_data.extra` does not reuse a typed key; Limited Data Use options are consistent.
public struct CAPIEventValidator: Sendable, Equatable {
    /// Meta's window for `event_time` in the past (7 days; defaults from ``MetaLimits``).
    public var maxEventAge: Duration
    /// Meta's window for `physical_store` events (62 days).
    public var maxPhysicalStoreEventAge: Duration
    /// Events this close to the window's end already count as expired: the request takes time
    /// in flight, and if the event crosses the limit on the way Meta rejects the whole batch.
    public var expiryMargin: Duration
    /// How far ahead of `now` an `event_time` may be (clock skew between us and the source).
    /// Meta publishes no limit but rejects future timestamps in practice.
    public var maxFutureSkew: Duration

    public init(
        maxEventAge: Duration = MetaLimits.meta.eventMaxAge, maxPhysicalStoreEventAge: Duration = MetaLimits.meta.physicalStoreEventMaxAge,
        expiryMargin: Duration = MetaLimits.meta.expiryMargin, maxFutureSkew: Duration = .seconds(600)
    ) {
        self.maxEventAge = maxEventAge
        self.maxPhysicalStoreEventAge = maxPhysicalStoreEventAge
        self.expiryMargin = expiryMargin
        self.maxFutureSkew = maxFutureSkew
    }

    /// What to do with an event.
    public enum Verdict: Sendable, Equatable {
        case valid
        /// Only `expired` violations: undeliverable because of age (dead-letter, no alert on code).
        case expired([CAPIViolation])
        /// At least one `invalid` violation (all violations included): a data or code problem.
        case invalid([CAPIViolation])
    }

    /// `invalid` wins over `expired` when both occur, because it points at something to fix.
    public func verdict(for event: CAPIEvent, now: Date) -> Verdict {
        let found = violations(of: event, now: now)
        if found.isEmpty { return .valid }
        return found.contains { $0.kind == .invalid } ? .invalid(found) : .expired(found)
    }

    /// Every violation found, in field order; empty when the event may be sent.
    public func violations(of event: CAPIEvent, now: Date) -> [CAPIViolation] {
        var out: [CAPIViolation] = []
        func add(_ field: String, _ reason: CAPIViolation.Reason) {
            out.append(CAPIViolation(field: field, reason: reason))
        }

        if MetaJSON.nonEmpty(event.eventName.rawValue) == nil { add("event_name", .missing) }
        checkTime(event, now: now, add: add)

        let user = event.userData
        if user.isEmpty { add("user_data", .missing) }
        if let ip = MetaJSON.nonEmpty(user.clientIpAddress), !CAPIFieldFormat.isValidIPAddress(ip) {
            add("user_data.client_ip_address", .malformed("a single IPv4 or IPv6 address"))
        }
        if let fbc = MetaJSON.nonEmpty(user.fbc), !CAPIFieldFormat.isValidFBC(fbc) {
            add("user_data.fbc", .malformed("fb.{index}.{creationTimeMs}.{fbclid}"))
        }
        if let fbp = MetaJSON.nonEmpty(user.fbp), !CAPIFieldFormat.isValidFBP(fbp) {
            add("user_data.fbp", .malformed("fb.{index}.{creationTimeMs}.{random}"))
        }

        if let url = MetaJSON.nonEmpty(event.eventSourceUrl), !Self.isHTTPURL(url) {
            add("event_source_url", .malformed("an absolute http(s) URL"))
        }
        if event.actionSource == .website {
            if MetaJSON.nonEmpty(event.eventSourceUrl) == nil { add("event_source_url", .missing) }
            if MetaJSON.nonEmpty(user.clientUserAgent) == nil { add("user_data.client_user_agent", .missing) }
        }

        checkCustomData(event, add: add)
        checkDataProcessingOptions(event, add: add)
        return out
    }

    private func checkTime(_ event: CAPIEvent, now: Date, add: (String, CAPIViolation.Reason) -> Void) {
        guard event.eventTime > 0 else {
            add("event_time", .malformed("Unix time in seconds"))
            return
        }
        let nowSeconds = Int(now.timeIntervalSince1970.rounded(.down))
        let window = event.actionSource == .physicalStore ? maxPhysicalStoreEventAge : maxEventAge
        let limit = Self.seconds(window) - Self.seconds(expiryMargin)
        let age = nowSeconds - event.eventTime
        if age > limit {
            add("event_time", .tooOld(ageSeconds: age, limitSeconds: limit))
        } else if -age > Self.seconds(maxFutureSkew) {
            add("event_time", .inFuture(aheadSeconds: -age, limitSeconds: Self.seconds(maxFutureSkew)))
        }
    }

    private func checkCustomData(_ event: CAPIEvent, add: (String, CAPIViolation.Reason) -> Void) {
        let custom = event.customData
        if let value = custom?.value, !(value.isFinite && value >= 0) {
            add("custom_data.value", .malformed("a finite amount, not negative"))
        }
        if let currency = custom?.normalizedCurrency, !Self.isCurrencyCode(currency) {
            add("custom_data.currency", .malformed("an ISO 4217 code of 3 letters"))
        }
        if let numItems = custom?.numItems, numItems < 0 {
            add("custom_data.num_items", .malformed("not negative"))
        }
        if event.eventName == .purchase {
            if custom?.value == nil { add("custom_data.value", .missing) }
            if custom?.normalizedCurrency == nil { add("custom_data.currency", .missing) }
        }
        for key in (custom?.extra.keys.sorted() ?? []) where CAPICustomData.standardKeys.contains(key) {
            add("custom_data.\(key)", .reservedKey)
        }
    }

    private func checkDataProcessingOptions(_ event: CAPIEvent, add: (String, CAPIViolation.Reason) -> Void) {
        guard let dpo = event.dataProcessingOptions else { return }
        if !dpo.options.allSatisfy({ $0 == "LDU" }) {
            add("data_processing_options", .malformed("[] or [\"LDU\"]"))
        }
        if let country = dpo.country, ![0, 1].contains(country) {
            add("data_processing_options_country", .malformed("0 (geolocate) or 1 (US)"))
        }
        if let state = dpo.state, ![0, 1000].contains(state) {
            add("data_processing_options_state", .malformed("0 (geolocate) or 1000 (California)"))
        }
        // "If you set a country, you must also set a state"; without an IP Meta cannot
        // geolocate, so LDU then needs the state spelled out.
        let ldu = dpo.options.contains("LDU")
        let hasIP = MetaJSON.nonEmpty(event.userData.clientIpAddress) != nil
        if dpo.state == nil, dpo.country != nil || (ldu && !hasIP) {
            add("data_processing_options_state", .missing)
        }
    }

    static func isCurrencyCode(_ value: String) -> Bool {
        value.utf8.count == 3 && value.utf8.allSatisfy { (0x41...0x5A).contains($0) }
    }

    static func isHTTPURL(_ value: String) -> Bool {
        let lower = value.lowercased()
        for scheme in ["https://", "http://"] where lower.hasPrefix(scheme) {
            let rest = lower.dropFirst(scheme.count)
            return !rest.isEmpty && !rest.hasPrefix("/") && !MetaText.containsWhitespace(value)
        }
        return false
    }

    /// Whole seconds of a duration (sub-second parts dropped).
    static func seconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds)
    }
}
