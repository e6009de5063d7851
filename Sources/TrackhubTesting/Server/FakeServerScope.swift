/// Runs `body` with a started fake server and stops the server whether `body` returns or throws:
/// the one `withServer` of every fake (`FakeMetaServer`, `FakeTelegramServer`).
func withFakeServer<Server: Sendable, T: Sendable>(
    _ server: Server,
    stop: (Server) async -> Void,
    _ body: (Server) async throws -> T
) async throws -> T {
    do {
        let result = try await body(server)
        await stop(server)
        return result
    } catch {
        await stop(server)
        throw error
    }
}
