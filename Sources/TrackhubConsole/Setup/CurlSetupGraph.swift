import Foundation
public import TrackhubCore

/// ``SetupGraph`` over libcurl (``CurlClientPool`` threads). The pixel read sends the token in
/// the `Authorization` header and the test event sends it in the body (``CurlCAPITransport``):
/// never in a URL, which libcurl errors and proxies might show.
public struct CurlSetupGraph: SetupGraph {
    let http: CurlClientPool
    let graphBaseURL: String
    let graphVersion: String
    let timeout: Duration

    public init(http: CurlClientPool, graphBaseURL: String, graphVersion: String, timeout: Duration = .seconds(10)) {
        self.http = http
        self.graphBaseURL = graphBaseURL
        self.graphVersion = graphVersion
        self.timeout = timeout
    }

    /// The fields the assistant shows (reference §1.2).
    static let pixelFields = "id,name,is_unavailable,last_fired_time,creation_time"

    public func readPixel(id: String, token: String) async -> PixelCheck {
        let url = "\(graphBaseURL)/\(graphVersion)/\(id)?fields=\(Self.pixelFields)"
        let outcome = await http.get(url: url, headers: ["Authorization: Bearer " + token], timeout: timeout)
        return PixelCheck.interpret(status: outcome.status, body: outcome.body)
    }

    public func sendTestEvent(pixel: String, token: String, testEventCode: String) async -> TestEventCheck {
        let event = CAPIEvent(
            eventName: .pageView, eventDate: Date(), eventId: "th-setup-" + ConsoleToken.generate().prefix(16),
            actionSource: .website, eventSourceUrl: "https://trackhub.test/setup",
            userData: CAPIUserData(clientIpAddress: "127.0.0.1", clientUserAgent: "Trackhub setup assistant"))
        guard let eventJSON = try? event.jsonData(),
              let body = try? CAPIRequestBody(events: [eventJSON], testEventCode: testEventCode) else {
            return .problem(GraphProblem(kind: .invalidRequest))
        }
        let transport = CurlCAPITransport(http: http, graphBaseURL: graphBaseURL, graphVersion: graphVersion, timeout: timeout,
                                          connectTimeout: .seconds(5))
        let response = await transport.post(CAPIRequest(pixel: pixel, accessToken: token, body: Array(body.jsonData())))
        switch response.outcome {
        case .response(let status, let data): return TestEventCheck.interpret(status: status, body: Array(data))
        default: return .problem(GraphProblem(kind: .unreachable))
        }
    }
}
