import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// An in-process stand-in for Mercado Pago's payments API: `GET /v1/payments/{id}` with
/// `Authorization: Bearer <access token>`, answered from payments a test registers.
///
/// Mercado Pago's webhook only names a payment; dispatchd fetches it through its real libcurl
/// client (`TRACKHUB_MERCADOPAGO_BASE_URL` points here), so the test exercises the real fetch,
/// its retries and its failure handling. Requests with another token get 401 like the real API;
/// unknown ids 404; `failNext(_:)` makes the next requests answer 500 (a flaky API).
final class FakeMercadoPagoServer: Sendable {
    struct Request: Sendable, Equatable {
        let paymentID: String
        let authorized: Bool
        let status: Int
    }

    private struct State {
        var payments: [String: [UInt8]] = [:]
        var failures = 0
        var requests: [Request] = []
    }

    /// Shared by the route handler and the test (a class: `Mutex` cannot be copied around).
    private final class Box: Sendable {
        let state = Mutex(State())
    }

    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }
    let token: String
    private let box: Box
    private let serviceGroup: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, token: String, box: Box, serviceGroup: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.token = token
        self.box = box
        self.serviceGroup = serviceGroup
        self.task = task
    }

    /// Starts on 127.0.0.1 (port chosen by the OS), accepting only `token`.
    static func start(token: String) async throws -> FakeMercadoPagoServer {
        let box = Box()
        let router = Router(context: BasicRequestContext.self)
        router.get("v1/payments/:id") { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            let authorized = request.headers[.authorization] == "Bearer \(token)"
            let (status, body): (HTTPResponse.Status, [UInt8]) = box.state.withLock { s in
                let answer: (HTTPResponse.Status, [UInt8])
                if s.failures > 0 {
                    s.failures -= 1
                    answer = (.internalServerError, Array(#"{"message":"internal_error","status":500}"#.utf8))
                } else if !authorized {
                    answer = (.unauthorized, Array(#"{"message":"invalid access token","status":401}"#.utf8))
                } else if let payment = s.payments[id] {
                    answer = (.ok, payment)
                } else {
                    answer = (.notFound, Array(#"{"message":"Payment not found","status":404}"#.utf8))
                }
                s.requests.append(Request(paymentID: id, authorized: authorized, status: answer.0.code))
                return answer
            }
            return Response(status: status, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "FakeMercadoPago")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  continuation.yield(channel.localAddress?.port ?? 0)
                                  continuation.finish()
                              }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { defer { continuation.finish() }; try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await group.triggerGracefulShutdown()
            try await task.value
            throw HarnessError("FakeMercadoPagoServer did not start listening")
        }
        return FakeMercadoPagoServer(port: port, token: token, box: box, serviceGroup: group, task: task)
    }

    /// Serves `json` for `GET /v1/payments/{id}` from now on.
    func setPayment(id: String, json: [UInt8]) { box.state.withLock { $0.payments[id] = json } }

    /// The next `count` requests answer 500, whatever they ask.
    func failNext(_ count: Int) { box.state.withLock { $0.failures = count } }

    func requests(paymentID: String) -> [Request] { box.state.withLock { $0.requests.filter { $0.paymentID == paymentID } } }

    func stop() async {
        await serviceGroup.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
