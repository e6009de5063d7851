import Foundation

/// ``CAPITransport`` over libcurl (``CurlClientPool``): keep-alive connections on dedicated
/// threads, the token in the JSON body (``CAPIRequestBody/withAccessToken(_:_:)``, never in the
/// URL), total and connect timeouts.
public struct CurlCAPITransport: CAPITransport {
    public let http: CurlClientPool
    /// e.g. `https://graph.facebook.com` (tests point it at a fake server; see ``OutboundURLRule``).
    public let graphBaseURL: String
    public let graphVersion: String
    public let timeout: Duration
    public let connectTimeout: Duration

    public init(http: CurlClientPool, graphBaseURL: String, graphVersion: String, timeout: Duration, connectTimeout: Duration) {
        self.http = http
        self.graphBaseURL = graphBaseURL
        self.graphVersion = graphVersion
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }

    public func post(_ request: CAPIRequest) async -> CAPIResponse {
        let url = "\(graphBaseURL)/\(graphVersion)/\(request.pixel)/events"
        let body = CAPIRequestBody.withAccessToken(request.body, request.accessToken)
        let (outcome, headers) = await http.post(url: url, body: body, headers: ["Content-Type: application/json"],
                                                 capturing: ThrottleHint.headerNames, timeout: timeout, connectTimeout: connectTimeout)
        let hint = ThrottleHint.wait(retryAfter: headers["retry-after"], businessUseCaseUsage: headers["x-business-use-case-usage"], now: Date())
        return CAPIResponse(outcome: Self.transport(outcome), latency: outcome.latency, throttleHint: hint)
    }

    static func transport(_ o: HTTPOutcome) -> MetaTransportOutcome {
        switch o {
        case .response(let status, let body, _): return .response(status: status, body: Data(body))
        case .failure(let kind, let message, _):
            switch kind {
            case .timeout: return .transportError(kind: .timeout, message: message)
            case .connect, .tls: return .transportError(kind: .connect, message: message)
            default: return .transportError(kind: .other, message: message)
            }
        }
    }
}
