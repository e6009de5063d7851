public import Logging
public import ServiceLifecycle
import Synchronization

/// Holds the current ``CompiledSnapshot`` and keeps it fresh: a Service that polls Redis for a
/// new version, compiles it (opening secrets), swaps it in, and writes the on-disk cache.
///
/// A snapshot that fails to compile is logged and ignored; the last good one keeps serving.
/// Its ``RedisClient`` is a service of its own, listed ahead of this one.
///
/// Each poll also reads the Telegram pool health dispatchd publishes (``TelegramPoolHealthStore``):
/// a dead bot leaves `/go` rotation within one poll of being found dead. While Redis cannot be
/// read the last known health stays; when the health key is gone (expired: no checker runs)
/// every bot rotates again.
public final class SnapshotHolder: SnapshotSource, Service, Sendable {
    private let current: Mutex<CompiledSnapshot?>
    private let dead: Mutex<Set<String>>
    private let health: TelegramPoolHealthStore
    private let layout: StreamLayout
    private let keys: KeyRing
    private let cachePath: String
    private let interval: Duration
    private let redis: RedisClient
    private let logger: Logger

    public init(layout: StreamLayout, redis: RedisClient, keys: KeyRing, cachePath: String,
                interval: Duration, logger: Logger) {
        self.layout = layout
        self.redis = redis
        self.keys = keys
        self.cachePath = cachePath
        self.interval = interval
        self.logger = logger
        self.current = Mutex(nil)
        self.dead = Mutex([])
        self.health = TelegramPoolHealthStore(layout: layout)
        if let cached = SnapshotStore.readCache(path: cachePath) {
            do {
                let compiled = try CompiledSnapshot(cached, keys: keys)
                current.withLock { $0 = compiled }
                logger.notice("config snapshot loaded from disk cache", metadata: [LogKey.snapshotVersion: "\(cached.version)"])
            } catch {
                logger.error("cached config snapshot unusable", metadata: [LogKey.error: "\(error)"])
            }
        }
    }

    /// The snapshot in force, or nil before the first one arrived.
    public var snapshot: CompiledSnapshot? { current.withLock { $0 } }

    public var deadBots: Set<String> { dead.withLock { $0 } }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await refreshOnce()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }

    /// One poll: loads and installs a newer snapshot if Redis has one. Exposed for tests.
    public func refreshOnce() async {
        await refreshBotHealth()
        let known = snapshot?.version
        do {
            let loaded: IngestSnapshot? = try await redis.run { [layout] conn in
                guard let version = try SnapshotStore.publishedVersion(layout: layout, connection: conn),
                      version != known else { return nil }
                return try SnapshotStore.load(layout: layout, connection: conn)
            }
            guard let loaded else { return }
            let compiled: CompiledSnapshot
            do {
                compiled = try CompiledSnapshot(loaded, keys: keys)
            } catch {
                // A snapshot this ingestd cannot use (e.g. sealed under a key it lacks): say so loudly.
                logger.error("config snapshot rejected; keeping the last good one",
                             metadata: [LogKey.snapshotVersion: "\(loaded.version)", LogKey.error: "\(error)"])
                return
            }
            current.withLock { $0 = compiled }
            logger.notice("config snapshot installed", metadata: [LogKey.snapshotVersion: "\(loaded.version)", LogKey.links: "\(loaded.links.count)"])
            do {
                try SnapshotStore.writeCache(loaded, path: cachePath)
            } catch {
                logger.warning("config snapshot cache not written", metadata: [LogKey.error: "\(error)"])
            }
        } catch {
            logger.debug("config snapshot poll failed", metadata: [LogKey.error: "\(error)"])
        }
    }

    /// Reads the pool health; logs when the set of dead bots changes.
    func refreshBotHealth() async {
        let store = health
        do {
            let now = try await redis.run { try store.load(connection: $0)?.deadBots ?? [] }
            let before = dead.withLock { old -> Set<String> in
                defer { old = now }
                return old
            }
            if before != now {
                logger.notice("telegram bots out of rotation changed", metadata: [LogKey.telegramBotsDead: "\(now.sorted().joined(separator: ","))"])
            }
        } catch {
            logger.debug("telegram pool health poll failed", metadata: [LogKey.error: "\(error)"])
        }
    }
}
