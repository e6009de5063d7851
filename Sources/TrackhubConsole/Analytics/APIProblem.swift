import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TrackhubCore

/// A read-API refusal, answered as RFC 9457 problem+json with ingestd's problem types and key
/// order (docs/openapi.yaml, `Problem`).
enum APIProblem: Error, Sendable, Equatable {
    /// No key, an unknown or revoked key, or no session.
    case unauthorized
    /// Another tenant's numbers (existence not told).
    case notFound
    /// A parameter that cannot be read; the text names it.
    case badRequest(String)

    var status: HTTPResponse.Status {
        switch self {
        case .unauthorized: .unauthorized
        case .notFound: .notFound
        case .badRequest: .badRequest
        }
    }

    var detail: String {
        switch self {
        case .unauthorized: "an API key (Authorization: Bearer thk_…) or a console session is required"
        case .notFound: "no such tenant for these credentials"
        case .badRequest(let why): why
        }
    }

    var type: String {
        switch self {
        case .unauthorized: "urn:trackhub:problem:unauthorized"
        case .notFound: "urn:trackhub:problem:not-found"
        case .badRequest: "urn:trackhub:problem:validation"
        }
    }

    var response: Response {
        var w = JSONWriter(profile: .stored, capacity: 256)
        w.beginObject()
        w.field("detail", detail)
        w.key("status"); w.int(Int(status.code))
        w.field("title", status.reasonPhrase)
        w.field("type", type)
        w.endObject()
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        headers[.cacheControl] = "no-store"
        if self == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: w.text)))
    }
}
