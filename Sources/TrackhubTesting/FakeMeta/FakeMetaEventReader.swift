import Foundation
import TrackhubCore

/// Reads one received event (JSON as it arrived) into production's `CAPIEvent`, so that the
/// fake judges it with production's own `CAPIEventValidator` instead of a copy of Meta's rules.
///
/// The reader only checks what the typed model cannot hold — JSON types (an `event_time` that
/// is not an integer, an `action_source` outside Meta's list, a `user_data` that is not an
/// object); every rule about values (required fields, the 7-day window, website fields, fbc/fbp
/// and IP formats, Purchase value and currency, LDU) is the validator's.
enum FakeMetaEventReader {
    /// The event, or what is wrong with its JSON types (a Graph error message, code 100).
    static func read(_ json: FakeJSON, at path: String) -> Result<CAPIEvent, Failure> {
        guard let event = json.objectValue else { return .failure(Failure("(#100) param \(path) must be an object.")) }
        do {
            guard let name = try string(event["event_name"], "event_name", path), !name.isEmpty else {
                throw Failure("(#100) The parameter event_name is required (\(path)).")
            }
            // Stricter than Meta: only a JSON integer (no string, no fraction).
            guard let rawTime = event["event_time"] else { throw Failure("(#100) The parameter event_time is required (\(path)).") }
            guard let eventTime = rawTime.intValue else {
                throw Failure("(#100) param \(path)[event_time] must be an integer number of seconds.")
            }
            guard let rawSource = try string(event["action_source"], "action_source", path) else {
                throw Failure("(#100) The parameter action_source is required (\(path)).")
            }
            guard let actionSource = CAPIActionSource(rawValue: rawSource) else {
                let known = CAPIActionSource.allCases.map(\.rawValue).sorted()
                throw Failure("(#100) param \(path)[action_source] must be one of \(known); got '\(rawSource)'.")
            }
            guard let userData = event["user_data"]?.objectValue else {
                throw Failure("(#100) The parameter user_data is required and must be an object (\(path)).")
            }
            return .success(CAPIEvent(
                eventName: CAPIEventName(name),
                eventTime: eventTime,
                eventId: try string(event["event_id"], "event_id", path),
                actionSource: actionSource,
                eventSourceUrl: try string(event["event_source_url"], "event_source_url", path),
                referrerUrl: try string(event["referrer_url"], "referrer_url", path),
                optOut: event["opt_out"]?.boolValue,
                userData: try Self.userData(userData, path: "\(path)[user_data]"),
                customData: try event["custom_data"].map { try customData($0, path: "\(path)[custom_data]") },
                dataProcessingOptions: try dataProcessingOptions(event, path: path)
            ))
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure("(#100) Invalid parameter (\(path))."))
        }
    }

    /// Why an event could not be read; `message` is the Graph error message.
    struct Failure: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    private static func string(_ value: FakeJSON?, _ field: String, _ path: String) throws -> String? {
        guard let value, value != .null else { return nil }
        guard let text = value.stringValue else { throw Failure("(#100) param \(path)[\(field)] must be a string.") }
        return text
    }

    /// Meta takes one hashed value or a list of them per key.
    private static func hashed(_ value: FakeJSON?, _ field: String, _ path: String) throws -> [String] {
        guard let value, value != .null else { return [] }
        if let one = value.stringValue { return [one] }
        guard let many = value.arrayValue, let strings = Optional(many.compactMap(\.stringValue)), strings.count == many.count else {
            throw Failure("(#100) param \(path)[\(field)] must be a string or an array of strings.")
        }
        return strings
    }

    private static func userData(_ user: [String: FakeJSON], path: String) throws -> CAPIUserData {
        func list(_ key: HashedUserData.Key) throws -> [String] { try hashed(user[key.rawValue], key.rawValue, path) }
        let hashedData = HashedUserData(
            em: try list(.em), ph: try list(.ph), fn: try list(.fn), ln: try list(.ln), ct: try list(.ct),
            st: try list(.st), zp: try list(.zp), country: try list(.country), db: try list(.db), ge: try list(.ge),
            externalId: try list(.externalId)
        )
        return CAPIUserData(
            hashed: hashedData,
            fbc: try string(user["fbc"], "fbc", path),
            fbp: try string(user["fbp"], "fbp", path),
            clientIpAddress: try string(user["client_ip_address"], "client_ip_address", path),
            clientUserAgent: try string(user["client_user_agent"], "client_user_agent", path)
        )
    }

    private static func customData(_ json: FakeJSON, path: String) throws -> CAPICustomData {
        guard let custom = json.objectValue else { throw Failure("(#100) param \(path) must be an object.") }
        var value: Decimal?
        if let raw = custom["value"], raw != .null {
            // Meta's examples send the value as a number or as a numeric string.
            guard let number = raw.doubleValue ?? raw.stringValue.flatMap(Double.init) else {
                throw Failure("(#100) param \(path)[value] must be a number.")
            }
            value = CAPICustomData.browserValue(number)
        }
        var numItems: Int?
        if let raw = custom["num_items"], raw != .null {
            guard let count = raw.intValue else { throw Failure("(#100) param \(path)[num_items] must be an integer.") }
            numItems = count
        }
        var extra: [String: String] = [:]
        for (key, member) in custom where !CAPICustomData.standardKeys.contains(key) {
            extra[key] = member.stringValue ?? member.jsonText
        }
        return CAPICustomData(
            value: value,
            currency: try string(custom["currency"], "currency", path),
            orderId: try string(custom["order_id"], "order_id", path),
            contentIds: try custom["content_ids"].map { try hashed($0, "content_ids", path) },
            contentType: try string(custom["content_type"], "content_type", path),
            numItems: numItems,
            extra: extra
        )
    }

    private static func dataProcessingOptions(_ event: [String: FakeJSON], path: String) throws -> CAPIDataProcessingOptions? {
        guard let raw = event["data_processing_options"], raw != .null else { return nil }
        guard let options = raw.arrayValue?.compactMap(\.stringValue), options.count == raw.arrayValue?.count else {
            throw Failure("(#100) param \(path)[data_processing_options] must be an array of strings.")
        }
        return CAPIDataProcessingOptions(
            options: options,
            country: event["data_processing_options_country"]?.intValue,
            state: event["data_processing_options_state"]?.intValue
        )
    }
}
