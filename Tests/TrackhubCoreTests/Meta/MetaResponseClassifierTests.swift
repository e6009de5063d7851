import Foundation
import Testing
@testable import TrackhubCore

@Suite("MetaResponseClassifier")
struct MetaResponseClassifierTests {
    static func graphError(
        code: String, subcode: String? = nil, isTransient: String? = nil, message: String = "msg",
        userMessage: String? = nil, title: String? = nil
    ) -> Data {
        var fields = [#""message":"\#(message)""#, #""type":"OAuthException""#, #""code":\#(code)"#, #""fbtrace_id":"AbCdEf123""#]
        if let subcode { fields.append(#""error_subcode":\#(subcode)"#) }
        if let isTransient { fields.append(#""is_transient":\#(isTransient)"#) }
        if let userMessage { fields.append(#""error_user_msg":"\#(userMessage)""#) }
        if let title { fields.append(#""error_user_title":"\#(title)""#) }
        return Data(#"{"error":{\#(fields.joined(separator: ","))}}"#.utf8)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var status: Int
        var code: String?
        var subcode: String? = nil
        var isTransient: String? = nil
        var expected: MetaFailure.FailureClass
        var testDescription: String {
            "HTTP \(status) code \(code ?? "-")/\(subcode ?? "-") transient \(isTransient ?? "-") -> \(expected)"
        }
    }

    static let table: [Row] = [
        Row(status: 500, code: "1", expected: .transient),
        Row(status: 400, code: "2", expected: .transient),
        Row(status: 400, code: "341", expected: .transient),
        Row(status: 400, code: "368", expected: .transient),
        Row(status: 400, code: "4", expected: .throttled),
        Row(status: 400, code: "17", subcode: "2446079", expected: .throttled),
        Row(status: 400, code: "32", expected: .throttled),
        Row(status: 400, code: "613", subcode: "1487742", expected: .throttled),
        Row(status: 400, code: "80000", expected: .throttled),
        Row(status: 400, code: "80004", expected: .throttled),
        Row(status: 400, code: "80014", expected: .throttled),
        Row(status: 400, code: "80015", expected: .invalid),
        Row(status: 401, code: "190", subcode: "463", expected: .token),
        Row(status: 400, code: "102", expected: .token),
        Row(status: 403, code: "10", expected: .permission),
        Row(status: 403, code: "200", expected: .permission),
        Row(status: 403, code: "299", expected: .permission),
        Row(status: 400, code: "3", expected: .permission),
        Row(status: 400, code: "100", subcode: "33", expected: .permission),
        Row(status: 400, code: "100", expected: .invalid),
        Row(status: 400, code: "100", subcode: "2804019", expected: .invalid),
        Row(status: 400, code: "100", subcode: "2804003", expected: .expired),
        Row(status: 500, code: "100", subcode: "2804003", expected: .expired),
        // Codes given as strings.
        Row(status: 400, code: #""190""#, expected: .token),
        Row(status: 400, code: #""100""#, subcode: #""2804003""#, expected: .expired),
        // Unknown codes fall back to the HTTP status, then to is_transient.
        Row(status: 503, code: "12345", expected: .transient),
        Row(status: 429, code: "12345", expected: .throttled),
        Row(status: 400, code: "12345", expected: .invalid),
        Row(status: 400, code: "12345", isTransient: "true", expected: .throttled),
        Row(status: 400, code: "12345", isTransient: #""true""#, expected: .throttled),
        Row(status: 400, code: "12345", isTransient: "false", expected: .invalid),
        Row(status: 500, code: "12345", isTransient: "true", expected: .transient),
        // A known code beats the HTTP status and is_transient.
        Row(status: 500, code: "100", isTransient: "true", expected: .invalid),
        Row(status: 429, code: "190", expected: .token),
    ]

    @Test("Graph error table", arguments: table)
    func graphErrors(_ row: Row) throws {
        let outcome = MetaResponseClassifier.classify(.response(
            status: row.status, body: Self.graphError(code: row.code ?? "0", subcode: row.subcode, isTransient: row.isTransient)))
        guard case .failed(let failure) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(failure.class == row.expected)
        #expect(failure.httpStatus == row.status)
        #expect(failure.fbtraceID == "AbCdEf123")
        #expect(failure.isTransient == (row.expected == .transient || row.expected == .throttled))
    }

    struct BareRow: Sendable, CustomTestStringConvertible {
        var status: Int
        var body: String
        var expected: MetaFailure.FailureClass
        var testDescription: String { "HTTP \(status) \(body.prefix(20)) -> \(expected)" }
    }

    static let bare: [BareRow] = [
        BareRow(status: 502, body: "<html><body>Bad Gateway</body></html>", expected: .transient),
        BareRow(status: 500, body: "", expected: .transient),
        BareRow(status: 429, body: "", expected: .throttled),
        BareRow(status: 408, body: "", expected: .transient),
        BareRow(status: 401, body: "", expected: .token),
        BareRow(status: 403, body: "Forbidden", expected: .permission),
        BareRow(status: 404, body: "not found", expected: .permission),
        BareRow(status: 400, body: "garbage{", expected: .invalid),
        BareRow(status: 413, body: "", expected: .invalid),
        BareRow(status: 302, body: "", expected: .transient),
        BareRow(status: 200, body: #"{"error":{"message":"odd","code":190}}"#, expected: .token),
        BareRow(status: 400, body: #"{"error":"plain string error"}"#, expected: .invalid),
        BareRow(status: 400, body: #"{"error":{"code":true,"message":{"nested":1}}}"#, expected: .invalid),
    ]

    @Test("Responses without a usable Graph error", arguments: bare)
    func bareResponses(_ row: BareRow) {
        guard case .failed(let failure) = MetaResponseClassifier.classify(.response(status: row.status, body: Data(row.body.utf8)))
        else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.class == row.expected)
        #expect(!failure.message.isEmpty)
    }

    @Test("Booleans are not read as codes")
    func booleanCode() throws {
        let error = try #require(MetaGraphError.parse(Data(#"{"error":{"code":true,"error_subcode":"x","is_transient":1}}"#.utf8)))
        #expect(error.code == nil)
        #expect(error.subcode == nil)
        #expect(error.isTransient == true)
    }

    @Test("Transport errors are transient, with the kind in the message; unconfirmed unless the connection never opened")
    func transportErrors() {
        for kind in [MetaTransportOutcome.ErrorKind.timeout, .connect, .other] {
            let outcome = MetaResponseClassifier.classify(.transportError(kind: kind, message: "boom"))
            #expect(outcome == .failed(MetaFailure(class: .transient, httpStatus: nil, message: "\(kind.rawValue): boom",
                                                   unconfirmed: kind != .connect)))
        }
    }

    @Test("2xx is accepted with Meta's count and trace id")
    func accepted() {
        let body = Data(#"{"events_received": 3, "messages": [], "fbtrace_id": "ABC"}"#.utf8)
        #expect(MetaResponseClassifier.classify(.response(status: 200, body: body)) == .accepted(eventsReceived: 3, fbtraceID: "ABC"))
        #expect(MetaResponseClassifier.classify(.response(status: 200, body: Data(#"{"events_received":"2"}"#.utf8)))
            == .accepted(eventsReceived: 2, fbtraceID: nil))
        #expect(MetaResponseClassifier.classify(.response(status: 204, body: Data())) == .accepted(eventsReceived: nil, fbtraceID: nil))
    }

    @Test("Message prefers error_user_msg, keeps the title, and is truncated to 500 characters")
    func messages() throws {
        let expired = Self.graphError(
            code: "100", subcode: "2804003", message: "Invalid parameter",
            userMessage: "The timestamp for this event is too far in the past.", title: "Event Timestamp Too Old")
        guard case .failed(let failure) = MetaResponseClassifier.classify(.response(status: 400, body: expired)) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.class == .expired)
        #expect(failure.code == 100)
        #expect(failure.subcode == 2_804_003)
        #expect(failure.message == "The timestamp for this event is too far in the past.")
        #expect(failure.title == "Event Timestamp Too Old")
        #expect(failure.blamesEvents)
        #expect(!failure.pausesDelivery)

        let long = Self.graphError(code: "100", message: String(repeating: "é", count: 800))
        guard case .failed(let truncated) = MetaResponseClassifier.classify(.response(status: 400, body: long)) else {
            Issue.record("expected a failure")
            return
        }
        #expect(truncated.message.count == 500)
    }

    @Test("Each class implies one course of action")
    func courses() {
        func failure(_ c: MetaFailure.FailureClass) -> MetaFailure { MetaFailure(class: c, httpStatus: 400, message: "") }
        #expect(MetaFailure.FailureClass.allCases.filter { failure($0).isTransient } == [.transient, .throttled])
        #expect(MetaFailure.FailureClass.allCases.filter { failure($0).pausesDelivery } == [.token, .permission])
        #expect(MetaFailure.FailureClass.allCases.filter { failure($0).blamesEvents } == [.invalid, .expired])
    }
}
