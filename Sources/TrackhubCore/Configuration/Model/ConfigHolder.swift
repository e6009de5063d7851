public import Logging
public import ServiceLifecycle
import Synchronization

/// Holds the worker's ``DispatchConfig`` and reloads it from Postgres periodically, so
/// `dispatchd apply` takes effect in running workers without a restart.
public final class ConfigHolder: Service, Sendable {
    private let current: Mutex<DispatchConfig?>
    private let load: @Sendable () async throws -> DispatchConfig
    private let interval: Duration
    private let logger: Logger

    public init(interval: Duration, logger: Logger, load: @escaping @Sendable () async throws -> DispatchConfig) {
        self.current = Mutex(nil)
        self.load = load
        self.interval = interval
        self.logger = logger
    }

    /// The config in force; waits for the first successful load.
    public func config() async throws -> DispatchConfig {
        while true {
            if let c = current.withLock({ $0 }) { return c }
            try await refresh()
            if let c = current.withLock({ $0 }) { return c }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// Loads now; keeps the previous config when loading fails.
    public func refresh() async throws {
        do {
            let loaded = try await load()
            let changed = current.withLock { old -> Bool in
                let changed = old != loaded
                old = loaded
                return changed
            }
            if changed { logger.notice("dispatch config loaded", metadata: [LogKey.config: "\(loaded)"]) }
        } catch {
            logger.warning("dispatch config reload failed; keeping the previous one", metadata: [LogKey.error: "\(error)"])
            if current.withLock({ $0 }) == nil { throw error }
        }
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            // Woken early by SIGTERM, so shutdown is not held up by the sampling interval.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            try? await refresh()
        }
    }
}
