/// How the fake Meta answers a pixel's requests.
public enum FakeMetaBehaviour: Sendable, Equatable {
    /// Validate like Meta and accept valid batches.
    case ok
    /// Answer with this raw HTTP status and a non-Graph text body (like a load balancer or
    /// proxy error page); nothing is accepted.
    case status(Int)
    /// Sleep, then behave like `.ok`: events ARE accepted after the delay, even if the
    /// client timed out meanwhile (exactly the ambiguous case retries must survive).
    case delay(Duration)
    /// A Graph API error body `{"error":{…}}` with this HTTP status; nothing is accepted.
    case graphError(httpStatus: Int, code: Int, subcode: Int?, message: String, isTransient: Bool)
    /// The next `count` requests get `failure` (a transient 500 code 2 by default), then the
    /// pixel switches to `then`.
    indirect case failNextRequests(Int, with: FakeMetaBehaviour = .serviceError, then: FakeMetaBehaviour)

    /// 500, code 2, transient: Graph's "temporary downtime" (reference §1.10: retry).
    public static var serviceError: FakeMetaBehaviour {
        .graphError(httpStatus: 500, code: 2, subcode: nil, message: "An unexpected error has occurred. Please retry your request later.", isTransient: true)
    }

    /// 400, code 190: the token is invalid or expired (reference §1.10: pause the pixel).
    public static var invalidToken: FakeMetaBehaviour {
        .graphError(httpStatus: 400, code: 190, subcode: nil, message: "Invalid OAuth access token - Cannot parse access token", isTransient: false)
    }

    /// 400, code 4: application-level throttling (retry later).
    public static var applicationThrottled: FakeMetaBehaviour {
        .graphError(httpStatus: 400, code: 4, subcode: nil, message: "(#4) Application request limit reached", isTransient: true)
    }

    /// 400, code 17 subcode 2446079: user request limit (retry later).
    public static var userThrottled: FakeMetaBehaviour {
        .graphError(httpStatus: 400, code: 17, subcode: 2_446_079, message: "(#17) User request limit reached", isTransient: true)
    }

    /// 400, code 80004: too many calls to this ad account (retry later).
    public static var adAccountThrottled: FakeMetaBehaviour {
        .graphError(
            httpStatus: 400, code: 80004, subcode: nil,
            message: "(#80004) There have been too many calls to this ad-account. Wait a bit and try again.",
            isTransient: true
        )
    }

    /// The behaviour for this request, advancing a `failNextRequests` countdown in `stored`.
    static func consume(_ stored: inout FakeMetaBehaviour) -> FakeMetaBehaviour {
        guard case .failNextRequests(let remaining, let failure, let then) = stored else { return stored }
        guard remaining > 0 else {
            stored = then
            return consume(&stored)
        }
        stored = remaining == 1 ? then : .failNextRequests(remaining - 1, with: failure, then: then)
        var nested = failure  // a countdown used as the failure itself is applied statelessly
        return consume(&nested)
    }
}
