public import Foundation

/// The body of `POST /{version}/{pixel_id}/events`: `{"data":[…],"partner_agent":…,"test_event_code":…}`.
///
/// Built from events already encoded by `CAPIEvent.jsonData()`, so each event is encoded once
/// when it is produced and then travels as bytes: a batch Meta rejects can be split (see
/// `BatchSplitter`) and re-joined without re-encoding, and what is retried is byte-for-byte
/// what was first sent. Keys are in sorted order, like the events.
public struct CAPIRequestBody: Sendable, Equatable {
    /// Meta accepts up to 1,000 events in `data`.
    public static let maxEventsPerRequest = MetaLimits.meta.maxEventsPerRequest

    /// Encoded events, each one JSON object.
    public let events: [Data]
    /// Routes the events to Events Manager's Test Events tab. Test events are NOT dropped:
    /// they still count for targeting and measurement, so never set it in production.
    public let testEventCode: String?
    /// Free-form identifier of the integration sending the events.
    public let partnerAgent: String?

    public enum BuildError: Error, Equatable, Sendable {
        case noEvents
        case tooManyEvents(count: Int)
        /// The blob at `index` is not a JSON object (does not start with "{" and end with "}").
        case notAJSONObject(index: Int)
    }

    /// Fails for 0 or more than `maxEventsPerRequest` events, or a blob that is not a JSON object.
    public init(events: [Data], testEventCode: String? = nil, partnerAgent: String? = nil) throws(BuildError) {
        guard !events.isEmpty else { throw .noEvents }
        guard events.count <= Self.maxEventsPerRequest else { throw .tooManyEvents(count: events.count) }
        for (index, blob) in events.enumerated() where !Self.looksLikeJSONObject(blob) {
            throw .notAJSONObject(index: index)
        }
        self.events = events
        self.testEventCode = MetaJSON.nonEmpty(testEventCode)
        self.partnerAgent = MetaJSON.nonEmpty(partnerAgent)
    }

    /// One body per run of at most `maxEventsPerRequest` events, in order.
    public static func batches(
        _ events: [Data], testEventCode: String? = nil, partnerAgent: String? = nil
    ) throws(BuildError) -> [CAPIRequestBody] {
        var bodies: [CAPIRequestBody] = []
        var start = events.startIndex
        while start < events.endIndex {
            let end = min(start + maxEventsPerRequest, events.endIndex)
            bodies.append(try CAPIRequestBody(
                events: Array(events[start..<end]), testEventCode: testEventCode, partnerAgent: partnerAgent))
            start = end
        }
        return bodies
    }

    /// The request body bytes.
    public func jsonData() -> Data {
        var out = Data()
        out.reserveCapacity(events.reduce(64) { $0 + $1.count + 1 })
        out.append(contentsOf: Array(#"{"data":["#.utf8))
        for (index, blob) in events.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(blob)
        }
        out.append(UInt8(ascii: "]"))
        if let partnerAgent {
            out.append(contentsOf: Array(#","partner_agent":"#.utf8))
            out.append(contentsOf: Self.jsonString(partnerAgent))
        }
        if let testEventCode {
            out.append(contentsOf: Array(#","test_event_code":"#.utf8))
            out.append(contentsOf: Self.jsonString(testEventCode))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The bytes that go on the wire: `body` (from ``jsonData()``) with the access token as its
    /// first member, `{"access_token":"…","data":[…],…}` (members stay in sorted order).
    ///
    /// The token travels in the body, never in the URL: URLs end up in proxies' access logs,
    /// libcurl's error messages and crash reports, bodies do not. Only the transport calls this,
    /// so the body kept for retries, splits and the ledger never holds the token.
    public static func withAccessToken(_ body: [UInt8], _ token: String) -> [UInt8] {
        precondition(body.first == UInt8(ascii: "{"), "a CAPI body is a JSON object")
        var out: [UInt8] = []
        out.reserveCapacity(body.count + token.utf8.count + 20)
        out.append(contentsOf: #"{"access_token":"#.utf8)
        out.append(contentsOf: jsonString(token))
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: body.dropFirst())
        return out
    }

    /// A JSON string literal for `value`.
    static func jsonString(_ value: String) -> [UInt8] {
        var w = JSONWriter(profile: .stored, capacity: value.utf8.count + 2)
        w.string(value)
        return w.bytes
    }

    /// First and last non-whitespace bytes are "{" and "}": cheap, catches a wrong blob
    /// (an array, a string, an empty buffer) without parsing every event again.
    static func looksLikeJSONObject(_ blob: Data) -> Bool {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard let first = blob.first(where: { !isSpace($0) }), let last = blob.last(where: { !isSpace($0) })
        else { return false }
        return first == UInt8(ascii: "{") && last == UInt8(ascii: "}")
    }
}
