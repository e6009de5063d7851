public import Logging
public import ServiceLifecycle

extension ServiceGroup {
    /// Runs `body` while `services` run in a group of their own: started in order as `body`
    /// begins, stopped gracefully in reverse order once it returns or throws.
    ///
    /// For short lives — an admin subcommand, a test — that need the same services as a daemon
    /// (the driver pools) without a signal-driven group: the pools are started and shut down
    /// exactly as in the daemons, so there is one way to own a connection. (A graceful shutdown
    /// requested before the group runs is kept by swift-service-lifecycle ≥ 2.13, so a `body`
    /// that returns at once still starts and stops the services.)
    /// - Throws: what `body` throws; otherwise what the group threw while running.
    public static func withRunning<T: Sendable>(
        _ services: [any Service],
        logger: Logger,
        _ body: () async throws -> T
    ) async throws -> T {
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let outcome: Result<T, any Error>
            do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
            await group.triggerGracefulShutdown()
            do {
                try await tasks.waitForAll()
            } catch {
                if case .success = outcome { throw error }
            }
            return try outcome.get()
        }
    }
}
