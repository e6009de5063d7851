import Foundation

/// Signed gateway deliveries shaped like the realistic payloads in `Tests/Fixtures/<gateway>/`
/// (same field names and nesting, current times, the caller's transaction, buyer and click id),
/// signed the way each gateway signs (`GatewaySignature`). One builder per gateway, in
/// `GatewayWebhooks+<Gateway>.swift`; used by the integration tests, and by the fault suite
/// through `trackhub-fake sign`.
///
/// The Purchase dispatchd derives from each delivery has `event_id` "<gateway>.<transaction>".
public enum GatewayWebhooks {
    static func json(_ object: [String: Any]) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    static func ms(_ d: Date) -> Int64 { Int64(d.timeIntervalSince1970 * 1000) }

    /// Brasília wall-clock time (UTC−3, no DST), as Kiwify and Monetizze write dates.
    static func brasilia(_ d: Date, format: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(secondsFromGMT: -3 * 3600)
        f.dateFormat = format
        return f.string(from: d)
    }

    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }

    /// `application/x-www-form-urlencoded` escaping (RFC 3986 unreserved kept).
    public static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// "(11) 987654321" from "11987654321", as Eduzz and Monetizze write phones.
    static func areaFormatted(_ phone: String) -> String {
        "(\(phone.prefix(2))) \(phone.dropFirst(2))"
    }
}
