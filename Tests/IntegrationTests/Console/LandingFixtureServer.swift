import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A seller's landing pages on a real loopback port, for setup step 5: a page with `/t.js` and a
/// Hotmart "Comprar" link, a redirect that drops the query string on the way to it, one that
/// keeps it, a page without `/t.js`, a redirect loop and a 500.
enum LandingFixtureServer {
    static func page(script: String?, body: String) -> String {
        """
        <!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>Curso da Ana</title>
        \(script.map { #"<script src="\#($0)/t.js" data-tenant="loja-da-ana" defer></script>"# } ?? "")
        </head><body><h1>Curso da Ana</h1>\(body)</body></html>
        """
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .found, headers: [.location: location])
    }

    /// Runs `body` with the base URL (`http://127.0.0.1:PORT`) of a live fixture server.
    static func withServer(trackhub: String, _ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        let ok = page(script: trackhub, body: #"<a class="btn" HREF="https://pay.hotmart.com/X123?off=abc&amp;checkoutMode=10">Comprar</a>"#)
        let bare = page(script: nil, body: #"<a href="https://pay.hotmart.com/X123">Comprar</a>"#)
        router.get("/lp") { _, _ in Self.html(ok) }
        router.get("/lp-sem-script") { _, _ in Self.html(bare) }
        router.get("/antiga") { _, _ in Self.redirect("/lp") }
        router.get("/mantem") { request, _ in Self.redirect("/lp?" + (request.uri.query ?? "")) }
        router.get("/ciclo") { _, _ in Self.redirect("/ciclo2") }
        router.get("/ciclo2") { _, _ in Self.redirect("/ciclo") }
        router.get("/quebrada") { _, _ in Self.html("erro", status: .internalServerError) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              logger: Logger(label: "landing-fixture"))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port ?? 0)")
        }
    }
}
