import Foundation

/// Reads and writes the ingest snapshot in Redis and in its on-disk cache.
///
/// Publishing writes the snapshot body and then its version in one MULTI/EXEC, so a reader that
/// sees a new version always finds the matching body.
public enum SnapshotStore {
    /// Publishes `snapshot` (blocking; call from a blocking context).
    public static func publish(_ snapshot: IngestSnapshot, layout: StreamLayout, connection: RedisConnection) throws {
        let body = try snapshot.encoded()
        let replies = try connection.pipeline([
            [Array("MULTI".utf8)],
            [Array("SET".utf8), Array(layout.configSnapshot.utf8), Array(body)],
            [Array("SET".utf8), Array(layout.configVersion.utf8), Array(String(snapshot.version).utf8)],
            [Array("EXEC".utf8)],
        ])
        if let error = replies.compactMap(\.errorMessage).first { throw RedisError(.server, error) }
    }

    /// The published version, or nil if nothing was published yet.
    public static func publishedVersion(layout: StreamLayout, connection: RedisConnection) throws -> Int64? {
        let reply = try connection.command(["GET", layout.configVersion])
        return reply.text.flatMap { Int64($0) }
    }

    public static func load(layout: StreamLayout, connection: RedisConnection) throws -> IngestSnapshot? {
        let reply = try connection.command(["GET", layout.configSnapshot])
        guard case .string(let bytes) = reply else { return nil }
        return try IngestSnapshot.decode(Data(bytes))
    }

    /// Writes the cache file atomically (temp file, fsync, rename).
    public static func writeCache(_ snapshot: IngestSnapshot, path: String) throws {
        let data = try snapshot.encoded()
        let tmp = path + ".tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: tmp))
        try handle.synchronize()
        try handle.close()
        if rename(tmp, path) != 0 { throw CocoaError(.fileWriteUnknown) }
    }

    public static func readCache(path: String) -> IngestSnapshot? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? IngestSnapshot.decode(data)
    }
}
