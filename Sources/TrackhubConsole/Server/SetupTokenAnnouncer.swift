import Foundation
public import Logging
public import ServiceLifecycle

/// At start, while no console user exists, issues the one-time setup token and prints it (on
/// standard output, once, for the operator who started the console — never through the logger,
/// whose lines are shipped). Runs after the Postgres pool in the group, then waits for shutdown.
public struct SetupTokenAnnouncer: Service {
    let store: ConsoleStore
    let url: @Sendable () -> String
    let logger: Logger
    let announce: @Sendable (String) -> Void

    /// - Parameter announce: where the token line goes; nil: standard output, flushed at once.
    public init(store: ConsoleStore, url: @escaping @Sendable () -> String, logger: Logger,
                announce: (@Sendable (String) -> Void)? = nil) {
        self.store = store
        self.url = url
        self.logger = logger
        self.announce = announce ?? { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }

    public func run() async throws {
        if let token = try await store.issueSetupTokenIfNoUsers() {
            logger.notice("console has no users: setup token printed on standard output")
            announce("console setup token: \(token)  (open \(url())/welcome to create the first owner)")
        }
        try? await gracefulShutdown()
    }
}
