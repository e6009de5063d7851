/// One `POST /{version}/{pixel}/events` as the sender asks for it.
public struct CAPIRequest: Sendable, Equatable {
    public var pixel: String
    /// Never logged.
    public var accessToken: String
    /// The request body (``CAPIRequestBody/jsonData()``).
    public var body: [UInt8]

    public init(pixel: String, accessToken: String, body: [UInt8]) {
        self.pixel = pixel
        self.accessToken = accessToken
        self.body = body
    }
}

/// What came back for one request: the outcome ``MetaResponseClassifier`` classifies, and
/// what the ledger records about the attempt.
public struct CAPIResponse: Sendable, Equatable {
    public var outcome: MetaTransportOutcome
    public var latency: Duration
    /// Meta's estimate of how long to wait, when its headers gave one (``ThrottleHint``).
    public var throttleHint: Duration?

    public init(outcome: MetaTransportOutcome, latency: Duration, throttleHint: Duration? = nil) {
        self.outcome = outcome
        self.latency = latency
        self.throttleHint = throttleHint
    }

    /// The HTTP status, when there was a response.
    public var httpStatus: Int? {
        if case .response(let status, _) = outcome { return status }
        return nil
    }
}

/// The edge where a batch leaves for Meta: libcurl in production (``CurlCAPITransport``), an
/// in-memory Meta in unit tests. Never throws: a failure to reach Meta is an outcome too.
public protocol CAPITransport: Sendable {
    func post(_ request: CAPIRequest) async -> CAPIResponse
}
