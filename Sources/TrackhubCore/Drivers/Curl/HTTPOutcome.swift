/// What one blocking HTTP exchange produced.
///
/// An HTTP response of any status (2xx, 4xx, 5xx, even 3xx: redirects are never followed) is a
/// `.response`; the caller reads the status and body and decides. Only when no complete
/// response arrived is it a `.failure`, and then `kind` tells the retry policy what happened
/// on the wire. Neither case ever throws: the dispatcher's retry classification is a plain
/// `switch`, and there is no error type whose description could smuggle in a URL (which
/// carries the Meta access token in its query).
public enum HTTPOutcome: Sendable {
    /// A complete HTTP response. `latency` is measured around the whole transfer (connect,
    /// TLS, send, wait, receive), so it is what a timeout budget is compared against.
    case response(status: Int, body: [UInt8], latency: Duration)
    /// No complete response. `message` comes from `curl_easy_strerror` (or a fixed text of
    /// ours) and never contains the URL, its query or any header value, so it is safe to log.
    case failure(kind: TransportFailure, message: String, latency: Duration)

    /// Wall-clock time of the exchange, whichever way it ended.
    public var latency: Duration {
        switch self {
        case .response(_, _, let latency), .failure(_, _, let latency): latency
        }
    }

    /// The HTTP status when a response arrived; nil on a transport failure.
    public var status: Int? {
        if case .response(let status, _, _) = self { return status }
        return nil
    }

    /// The response body when a response arrived; nil on a transport failure.
    public var body: [UInt8]? {
        if case .response(_, let body, _) = self { return body }
        return nil
    }

    /// The failure kind when no response arrived; nil when one did.
    public var failureKind: TransportFailure? {
        if case .failure(let kind, _, _) = self { return kind }
        return nil
    }
}

/// Why no complete HTTP response arrived, coarse enough for a retry policy.
///
/// The split matters for delivery semantics, not just for logs: after `.connect` the request
/// certainly never reached the server, while after `.timeout` or `.sendOrReceive` it may have
/// been processed (Meta may have accepted the events), so a retry must rely on `event_id`
/// deduplication. The raw values are stable, low-cardinality strings for logs and metrics.
public enum TransportFailure: String, Sendable, Hashable, CaseIterable {
    /// `CURLE_OPERATION_TIMEDOUT`: the overall or the connect timeout elapsed. Because libcurl
    /// reports a connect timeout with the same code, this kind does not prove the request
    /// was sent; treat it as "may have been delivered".
    case timeout
    /// `CURLE_COULDNT_CONNECT`, `CURLE_COULDNT_RESOLVE_HOST`, `CURLE_COULDNT_RESOLVE_PROXY`:
    /// no connection was made, so nothing was sent.
    case connect
    /// The TLS handshake or certificate verification failed (`CURLE_SSL_*`,
    /// `CURLE_PEER_FAILED_VERIFICATION`). Usually configuration, not a transient blip.
    case tls
    /// The connection broke mid-exchange: `CURLE_SEND_ERROR`, `CURLE_RECV_ERROR`,
    /// `CURLE_GOT_NOTHING` (peer closed without answering), `CURLE_PARTIAL_FILE`.
    case sendOrReceive
    /// Anything else: malformed URL, unsupported scheme, a response body over the client's
    /// cap, an invalid request header, a pool that was shut down, out of memory.
    case other
}
