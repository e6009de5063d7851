public import Foundation

/// What the HTTP client saw for one `POST …/events`: a response, or no response at all.
///
/// Kept free of any HTTP library type so the classification logic is pure and testable, and so
/// whichever client the dispatcher uses (libcurl, AsyncHTTPClient) only has to map into this.
public enum MetaTransportOutcome: Sendable, Equatable {
    /// Meta (or something in front of it) answered.
    case response(status: Int, body: Data)
    /// No HTTP response: the request may or may not have reached Meta.
    case transportError(kind: ErrorKind, message: String)

    public enum ErrorKind: String, Sendable, Hashable {
        /// No complete response within the deadline (Meta suggests a 1.5 s timeout).
        case timeout
        /// DNS, TCP or TLS failure before the request was sent.
        case connect
        /// Anything else (connection reset mid-response, …).
        case other
    }
}
