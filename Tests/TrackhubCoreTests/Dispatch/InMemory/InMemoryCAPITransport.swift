import Foundation
import Synchronization
@testable import TrackhubCore

/// A ``CAPITransport`` that answers in memory: `respond` decides each request from the event
/// ids it carries (default: accept). Keeps every request and which event ids Meta took.
final class InMemoryCAPITransport: CAPITransport {
    struct Request: Sendable, Equatable {
        var pixel: String
        var eventIDs: [String]
        var testEventCode: String?
        var accepted: Bool
    }

    typealias Responder = @Sendable (_ pixel: String, _ eventIDs: [String]) -> MetaTransportOutcome

    private let log = Mutex<[Request]>([])
    private let respond: Responder
    /// What every answer's headers say about waiting (``ThrottleHint``).
    private let hint: Duration?

    init(hint: Duration? = nil, respond: @escaping Responder = { _, ids in InMemoryCAPITransport.accepted(ids.count) }) {
        self.hint = hint
        self.respond = respond
    }

    func post(_ request: CAPIRequest) async -> CAPIResponse {
        let object = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
        let ids = (object["data"] as? [[String: Any]] ?? []).map { $0["event_id"] as? String ?? "" }
        let outcome = respond(request.pixel, ids)
        var accepted = false
        if case .response(let status, _) = outcome, (200..<300).contains(status) { accepted = true }
        let record = Request(pixel: request.pixel, eventIDs: ids, testEventCode: object["test_event_code"] as? String, accepted: accepted)
        log.withLock { $0.append(record) }
        return CAPIResponse(outcome: outcome, latency: .milliseconds(2), throttleHint: hint)
    }

    var requests: [Request] { log.withLock { $0 } }
    /// Every event id Meta accepted, once per acceptance (a repeat shows up twice).
    var acceptedEventIDs: [String] { requests.filter(\.accepted).flatMap(\.eventIDs) }

    // MARK: - Answers

    static func accepted(_ count: Int) -> MetaTransportOutcome {
        .response(status: 200, body: Data(#"{"events_received":\#(count),"messages":[],"fbtrace_id":"TRACE"}"#.utf8))
    }

    static func graphError(status: Int, code: Int, subcode: Int? = nil, message: String = "refused") -> MetaTransportOutcome {
        var fields = [#""message":"\#(message)""#, #""type":"OAuthException""#, #""code":\#(code)"#, #""fbtrace_id":"TRACE""#]
        if let subcode { fields.append(#""error_subcode":\#(subcode)"#) }
        return .response(status: status, body: Data(#"{"error":{\#(fields.joined(separator: ","))}}"#.utf8))
    }

    /// Meta's answer to a batch holding any of `bad`: the whole request refused (100/2804019).
    static func rejecting(_ bad: Set<String>) -> Responder {
        { _, ids in
            ids.contains(where: bad.contains) ? graphError(status: 400, code: 100, subcode: 2_804_019, message: "Invalid parameter")
                : accepted(ids.count)
        }
    }
}
