import Foundation
import TrackhubCore

/// The two Graph calls the setup assistant makes for real (reference console-alerts-telegram
/// §1.2–1.5): read the pixel with the seller's token, and send one test event with the code from
/// Events Manager. Behind a protocol so pages depend on the answer, not on libcurl.
public protocol SetupGraph: Sendable {
    func readPixel(id: String, token: String) async -> PixelCheck
    func sendTestEvent(pixel: String, token: String, testEventCode: String) async -> TestEventCheck
}

/// What Graph said about a pixel and its token, decided by the pure ``interpret(status:body:)``.
public enum PixelCheck: Sendable, Equatable {
    case found(name: String, lastFiredTime: String?)
    case problem(GraphProblem)

    public static func interpret(status: Int?, body: [UInt8]?) -> PixelCheck {
        guard let status, let body else { return .problem(GraphProblem(kind: .unreachable)) }
        if status == 200, let object = JSONValue.parse(body)?.objectMembers, case .string(let name)? = object["name"] {
            var fired: String?
            if case .string(let time)? = object["last_fired_time"] { fired = time }
            return .found(name: name, lastFiredTime: fired)
        }
        return .problem(GraphProblem.from(status: status, body: body))
    }
}

/// What Meta answered to the test event.
public enum TestEventCheck: Sendable, Equatable {
    case received(eventsReceived: Int, fbtraceID: String)
    case problem(GraphProblem)

    public static func interpret(status: Int?, body: [UInt8]?) -> TestEventCheck {
        guard let status, let body else { return .problem(GraphProblem(kind: .unreachable)) }
        if status == 200, let object = JSONValue.parse(body)?.objectMembers,
           case .number(let count)? = object["events_received"], let received = Int(count) {
            var trace = ""
            if case .string(let id)? = object["fbtrace_id"] { trace = id }
            return .received(eventsReceived: received, fbtraceID: trace)
        }
        return .problem(GraphProblem.from(status: status, body: body))
    }
}

/// A Graph refusal in the terms the seller acts on (reference §1.5 "Error → user action"): the
/// kind picks the pt-BR message and the fix; code and subcode are shown as evidence.
public struct GraphProblem: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// 190 without subcode: not a token Graph can read (truncated, pasted wrong).
        case tokenUnreadable = "token_unreadable"
        /// 190/463: the token expired.
        case tokenExpired = "token_expired"
        /// 190/460, 467, 458, 464, …: the token was invalidated.
        case tokenInvalidated = "token_invalidated"
        /// 100/33: the pixel does not exist or this token cannot see it.
        case pixelNotVisible = "pixel_not_visible"
        /// 10, 200–299, 3, 270, 294: a permission is missing.
        case missingPermission = "missing_permission"
        /// 4, 17, 32, 613, 80000–80014: throttled; try again later.
        case throttled
        /// 100 otherwise (the test code or the event refused).
        case invalidRequest = "invalid_request"
        /// No answer, or one that is not Graph's.
        case unreachable
    }

    public var kind: Kind
    public var code: Int?
    public var subcode: Int?
    public var fbtraceID: String?

    public init(kind: Kind, code: Int? = nil, subcode: Int? = nil, fbtraceID: String? = nil) {
        self.kind = kind
        self.code = code
        self.subcode = subcode
        self.fbtraceID = fbtraceID
    }

    static func from(status: Int, body: [UInt8]) -> GraphProblem {
        guard let error = MetaGraphError.parse(Data(body)), let code = error.code else {
            return GraphProblem(kind: .unreachable)
        }
        let kind: Kind = switch (code, error.subcode) {
        case (190, 463?): .tokenExpired
        case (190, nil): .tokenUnreadable
        case (190, _), (102, _): .tokenInvalidated
        case (100, 33?): .pixelNotVisible
        case (10, _), (3, _), (200...299, _): .missingPermission
        case (4, _), (17, _), (32, _), (613, _), (80000...80014, _): .throttled
        case (100, _): .invalidRequest
        default: .unreachable
        }
        return GraphProblem(kind: kind, code: code, subcode: error.subcode, fbtraceID: error.fbtraceID)
    }
}
