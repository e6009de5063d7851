import Foundation

/// Meta's success body: `{"events_received": 1, "messages": [], "fbtrace_id": "…"}`.
struct MetaSuccessBody: Equatable {
    var eventsReceived: Int?
    var fbtraceID: String?

    static func parse(_ body: Data) -> MetaSuccessBody {
        guard let top = JSONValue.graphObject(body) else { return MetaSuccessBody() }
        return MetaSuccessBody(eventsReceived: top["events_received"]?.graphInt, fbtraceID: top["fbtrace_id"]?.graphString)
    }
}
