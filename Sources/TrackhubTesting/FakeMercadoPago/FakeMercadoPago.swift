import Synchronization

/// A stand-in for Mercado Pago's payments API: `GET /v1/payments/{id}` with
/// `Authorization: Bearer <access token>`, answered from the payments it was given.
///
/// Mercado Pago's webhook only names a payment; dispatchd fetches it through its real libcurl
/// client (`TRACKHUB_MERCADOPAGO_BASE_URL` points here), so its fetch, retries and failure
/// handling are exercised. Another token gets 401 like the real API; unknown ids 404 (or, with
/// `approveUnknown`, an approved payment made up for the id: the fault suite's load);
/// `failNext(_:)` makes the next requests answer 500 (a flaky API). Tokens are compared by
/// SHA-256 fingerprint and never kept.
public final class FakeMercadoPago: Sendable {
    /// One request as the fake answered it.
    public struct Request: Sendable, Equatable {
        public let paymentID: String
        public let authorized: Bool
        public let status: Int
    }

    struct State {
        var payments: [String: [UInt8]] = [:]
        var failures = 0
        var requests: [Request] = []
        var tokenFingerprint: String?
    }

    let state = Mutex(State())
    /// Payments not given are made up (approved) instead of 404.
    public let approveUnknown: Bool

    /// Accepts only `token` when one is given, any token otherwise.
    public init(token: String? = nil, approveUnknown: Bool = false) {
        self.approveUnknown = approveUnknown
        state.withLock { $0.tokenFingerprint = token.map(FakeMeta.tokenFingerprint) }
    }

    /// Serves `json` for `GET /v1/payments/{id}` from now on.
    public func setPayment(id: String, json: [UInt8]) { state.withLock { $0.payments[id] = json } }

    /// The next `count` requests answer 500, whatever they ask.
    public func failNext(_ count: Int) { state.withLock { $0.failures = count } }

    /// Only the token with this SHA-256 fingerprint is accepted from now on (nil: any).
    public func expectToken(fingerprint: String?) { state.withLock { $0.tokenFingerprint = fingerprint?.lowercased() } }

    public func requests(paymentID: String) -> [Request] { state.withLock { $0.requests.filter { $0.paymentID == paymentID } } }

    /// The answer to `GET /v1/payments/{id}` with this bearer token (nil: no header).
    func answer(paymentID id: String, bearer: String?) -> (status: Int, body: [UInt8]) {
        state.withLock { s in
            let authorized = s.tokenFingerprint == nil || bearer.map(FakeMeta.tokenFingerprint) == s.tokenFingerprint
            let answer: (Int, [UInt8])
            if s.failures > 0 {
                s.failures -= 1
                answer = (500, Array(#"{"message":"internal_error","status":500}"#.utf8))
            } else if !authorized {
                answer = (401, Array(#"{"message":"invalid access token","status":401}"#.utf8))
            } else if let payment = s.payments[id] {
                answer = (200, payment)
            } else if approveUnknown, Int64(id) != nil, id.allSatisfy({ $0.isASCII && $0.isNumber }) {  // payment ids are numbers
                let buyer = GatewayBuyer(email: "mp-\(id)@cliente.test", name: "Paula Ramos")
                answer = (200, GatewayWebhooks.mercadoPagoPayment(id: id, buyer: buyer, clickID: nil, amount: 149.9))
            } else {
                answer = (404, Array(#"{"message":"Payment not found","status":404}"#.utf8))
            }
            s.requests.append(Request(paymentID: id, authorized: authorized, status: answer.0))
            if approveUnknown, s.requests.count > 10_000 { s.requests.removeFirst(5_000) }  // a long-lived fake stays small
            return answer
        }
    }
}
