public import Hummingbird
import HTTPTypes
import NIOCore

/// Mercado Pago's payments API as the fake serves it: `GET /v1/payments/:id`.
public struct FakeMercadoPagoRoutes: FakeRoutes {
    public let mercadoPago: FakeMercadoPago

    public init(mercadoPago: FakeMercadoPago) {
        self.mercadoPago = mercadoPago
    }

    public func register(on router: Router<BasicRequestContext>) {
        let fake = mercadoPago
        router.get("v1/payments/:id") { request, context -> Response in
            let authorization = request.headers[.authorization]
            let bearer = authorization.flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            let (status, body) = fake.answer(paymentID: context.parameters.get("id") ?? "", bearer: bearer)
            return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
