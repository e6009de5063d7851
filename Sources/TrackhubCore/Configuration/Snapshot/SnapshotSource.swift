/// Where ingestd's routes read the configuration in force: links, tenants, gateway accounts.
///
/// A seam for testing the HTTP edge without Redis: the real source is ``SnapshotHolder``
/// (polls Redis, keeps a disk cache); tests pass a fixed snapshot.
public protocol SnapshotSource: Sendable {
    /// The snapshot in force, or nil before the first one arrived.
    var snapshot: CompiledSnapshot? { get }
    /// Telegram bots out of `/go` rotation: the health check found them dead
    /// (``TelegramPoolHealth``). Empty when nothing is known.
    var deadBots: Set<String> { get }
}

extension SnapshotSource {
    /// A fixed snapshot knows no bot health: every configured bot rotates.
    public var deadBots: Set<String> { [] }
}
