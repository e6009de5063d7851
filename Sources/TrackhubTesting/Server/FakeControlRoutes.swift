import Foundation
public import Hummingbird
import HTTPTypes
import NIOCore

/// The control API of a fake running as its own process (`trackhub-fake meta`): scripts program
/// and reset it over HTTP while the daemons talk to it.
///
///     POST /_control   a `FakeControlCommand` (JSON) → {"ok":true} | 400 {"ok":false,"error":…}
///     GET  /_health    {"ok":true}
public struct FakeControlRoutes: FakeRoutes {
    public let meta: FakeMeta?
    public let mercadoPago: FakeMercadoPago?

    public init(meta: FakeMeta?, mercadoPago: FakeMercadoPago?) {
        self.meta = meta
        self.mercadoPago = mercadoPago
    }

    public func register(on router: Router<BasicRequestContext>) {
        router.get("_health") { _, _ in Self.json(.ok, #"{"ok":true}"#) }
        router.post("_control") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            do {
                let command = try JSONDecoder().decode(FakeControlCommand.self, from: Data(body.readableBytesView))
                try apply(command)
                return Self.json(.ok, #"{"ok":true}"#)
            } catch {
                let message = FakeJSON.string(String(describing: error)).jsonText
                return Self.json(.badRequest, #"{"ok":false,"error":\#(message)}"#)
            }
        }
    }

    /// Applies `command` to the fakes; throws (having applied nothing after the failure) when a
    /// member is malformed or names a fake this process does not run.
    func apply(_ command: FakeControlCommand) throws {
        let needsMeta = command.reset != nil || command.behaviour != nil || command.reject_prefixes != nil
            || command.reject_ids != nil || command.expect_token != nil || command.latency_ms != nil || command.pixels != nil
            || command.ad_accounts != nil
        if needsMeta, meta == nil { throw FakeServerError("no fake Meta in this process") }
        if let meta {
            let behaviours = try (command.behaviour ?? [:]).mapValues { try $0.behaviour() }
            if let reset = command.reset { try meta.reset(recordsPath: reset.records) }
            for (pixel, behaviour) in behaviours {
                if pixel == "*" { meta.defaultBehaviour = behaviour } else { meta.setBehaviour(behaviour, pixel: pixel) }
            }
            if let prefixes = command.reject_prefixes { meta.rejectEventIDPrefixes = prefixes }
            if let ids = command.reject_ids { meta.rejectEventIDs = Set(ids) }
            for (pixel, fingerprint) in command.expect_token ?? [:] { meta.expectToken(pixel: pixel, fingerprint: fingerprint) }
            if let ms = command.latency_ms { meta.latency = .milliseconds(ms) }
            for (pixel, name) in command.pixels ?? [:] { meta.registerPixel(id: pixel, FakeMetaPixel(name: name)) }
            for (id, account) in command.ad_accounts ?? [:] { meta.seedAdAccount(id, try account.account()) }
        }
        if let token = command.mp_token {
            guard let mercadoPago else { throw FakeServerError("no fake Mercado Pago in this process") }
            mercadoPago.expectToken(fingerprint: token)
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
