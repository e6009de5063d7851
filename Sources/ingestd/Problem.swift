import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TrackhubCore

/// An RFC 9457 `application/problem+json` error, with a field-level reason for each bad field.
struct Problem: Error, Sendable {
    struct FieldError: Sendable {
        let field: String
        let reason: String
    }

    let status: HTTPResponse.Status
    let type: String
    let title: String
    let detail: String?
    let errors: [FieldError]
    /// Sent as `Retry-After` (seconds) when set.
    let retryAfterSeconds: Int?
    /// Sent as `WWW-Authenticate` when set (a 401 says which scheme it wants).
    let challenge: String?

    init(_ status: HTTPResponse.Status, type: String, title: String, detail: String? = nil, errors: [FieldError] = [],
         retryAfterSeconds: Int? = nil, challenge: String? = nil) {
        self.challenge = challenge
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.errors = errors
        self.retryAfterSeconds = retryAfterSeconds
    }

    static func validation(_ errors: [FieldError]) -> Problem {
        Problem(.badRequest, type: "validation", title: "The request has invalid fields",
                detail: errors.map { "\($0.field): \($0.reason)" }.joined(separator: "; "), errors: errors)
    }

    static func notFound(_ what: String) -> Problem {
        Problem(.notFound, type: "not-found", title: "Not found", detail: what)
    }

    /// No route for this method and path (the router's own 404 has an empty body).
    static func noRoute(method: HTTPRequest.Method) -> Problem {
        Problem(.notFound, type: "not-found", title: "Not found", detail: "no \(method.rawValue) endpoint at this path (see docs/API.md)")
    }

    static func tooLarge(limit: Int) -> Problem {
        Problem(.contentTooLarge, type: "body-too-large", title: "Request body too large",
                detail: "the body exceeds \(limit) bytes")
    }

    static let notReady = Problem(.serviceUnavailable, type: "not-ready", title: "No configuration loaded yet")
    static let unauthorized = Problem(.unauthorized, type: "unauthorized", title: "Webhook authentication failed")

    /// `/s2s` without a live ingest key. The detail says what to fix, never which keys exist.
    static func ingestKeyRejected(_ reason: IngestKeyCheck.Rejection) -> Problem {
        let detail = switch reason {
        case .missing: "send the tenant's ingest key as Authorization: Bearer ths_… (dispatchd apikey create --scope ingest)"
        case .malformed: "not an ingest key: they start with ths_ (a read API key thk_… cannot send events)"
        case .unknown: "no live ingest key matches (revoked or mistyped?)"
        }
        return Problem(.unauthorized, type: "unauthorized", title: "Ingest key missing or invalid", detail: detail,
                       challenge: "Bearer realm=\"trackhub-s2s\"")
    }

    static let unavailable = Problem(.serviceUnavailable, type: "unavailable",
                                     title: "Temporarily unable to store the request; retry")

    /// Load shed on purpose (spool full while Redis is away, or Redis memory above the
    /// watermark): nothing was stored; `Retry-After` says when to try again.
    static func overloaded(_ detail: String) -> Problem {
        Problem(.serviceUnavailable, type: "overloaded", title: "Overloaded; retry later", detail: detail,
                retryAfterSeconds: overloadedRetryAfterSeconds)
    }

    /// `Retry-After` of an ``overloaded(_:)`` answer.
    static let overloadedRetryAfterSeconds = 5

    func response(extraHeaders: HTTPFields = [:]) -> Response {
        var members: [JSONWriter.Member] = [
            ("type", { $0.string("urn:trackhub:problem:\(type)") }),
            ("title", { $0.string(title) }),
            ("status", { $0.int(Int(status.code)) }),
        ]
        if let detail { members.append(("detail", { $0.string(detail) })) }
        if !errors.isEmpty {
            members.append(("errors", { w in
                w.beginArray()
                for error in errors { w.object(["field": error.field, "reason": error.reason]) }
                w.endArray()
            }))
        }
        var json = JSONWriter(profile: .stored, capacity: 256)
        json.object(members)
        var headers = extraHeaders
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        if let challenge { headers[.wwwAuthenticate] = challenge }
        headers[.contentType] = "application/problem+json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }
}

extension Problem: HTTPResponseError {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }
}

