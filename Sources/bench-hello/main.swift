import Hummingbird

/// The benchmark ceiling: a Hummingbird hello-world that answers 302, built only for
/// `scripts/bench`, so ingestd's figures are stated as a ratio to what the framework alone does
/// on the same machine in the same run.
let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 8099
let router = Router()
router.get("/go/:slug") { _, _ in
    Response(status: .found, headers: [.location: "https://example.com/landing?sck=01hzzzzzzzzzzzzzzzzzzzzzzz"])
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
