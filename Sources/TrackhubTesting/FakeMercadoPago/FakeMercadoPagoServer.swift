import Logging
/// The fake Mercado Pago served in-process on 127.0.0.1 (port chosen by the OS), for tests.
public final class FakeMercadoPagoServer: Sendable {
    public let mercadoPago: FakeMercadoPago
    /// The only access token it accepts.
    public let token: String
    private let http: FakeHTTPServer

    public var port: Int { http.port }
    public var baseURL: String { http.baseURL }

    private init(mercadoPago: FakeMercadoPago, token: String, http: FakeHTTPServer) {
        self.mercadoPago = mercadoPago
        self.token = token
        self.http = http
    }

    /// Starts on 127.0.0.1, accepting only `token`.
    public static func start(token: String) async throws -> FakeMercadoPagoServer {
        let fake = FakeMercadoPago(token: token)
        let http = try await FakeHTTPServer.start(routes: [FakeMercadoPagoRoutes(mercadoPago: fake)], name: "FakeMercadoPago", logLevel: .warning)
        return FakeMercadoPagoServer(mercadoPago: fake, token: token, http: http)
    }

    public func setPayment(id: String, json: [UInt8]) { mercadoPago.setPayment(id: id, json: json) }
    public func failNext(_ count: Int) { mercadoPago.failNext(count) }
    public func requests(paymentID: String) -> [FakeMercadoPago.Request] { mercadoPago.requests(paymentID: paymentID) }

    public func stop() async { await http.stop() }
}
