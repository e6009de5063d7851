public import Foundation

/// The whole of `dispatchd apply FILE`: validate and write the file (``ConfigApplier``),
/// publish the ingest snapshot (``SnapshotCompiler``), and release the pixels that got a new
/// access token — their pause lifted (``PixelControl/resume(pixel:connection:)``) and the
/// events parked while the old token was rejected rescheduled
/// (``RetrySchedule/unpark(pixel:connection:)``).
///
/// Each step is idempotent, so after a failure (Redis down after Postgres committed) running
/// the command again completes it: the snapshot is published on every run, changed or not.
public struct ConfigDeployment: Sendable {
    public struct Result: Sendable, CustomStringConvertible {
        public var report: ApplyReport
        /// The snapshot now in Redis.
        public var snapshotVersion: Int64
        /// Pixels released, with how many parked events each got back.
        public var releasedPixels: [String: Int]

        public var description: String {
            var text = report.description + "\nsnapshot version \(snapshotVersion) published"
            for pixel in releasedPixels.keys.sorted() {
                text += "\npixel \(pixel) resumed (\(releasedPixels[pixel] ?? 0) parked event(s) rescheduled)"
            }
            return text
        }
    }

    public let layout: StreamLayout

    public init(layout: StreamLayout) { self.layout = layout }

    public func run(
        _ file: TrackhubConfigFile,
        keys: KeyRing,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        postgres: PostgresConnection,
        redis: RedisConnection
    ) throws -> Result {
        let report = try ConfigApplier().apply(file, keys: keys, environment: environment, connection: postgres)
        let snapshot = try SnapshotCompiler().publish(connection: postgres, redis: redis, layout: layout, keys: keys)
        let released = try release(report.newTokenPixels, redis: redis)
        return Result(report: report, snapshotVersion: snapshot.version, releasedPixels: released)
    }

    /// Lifts the pause of each pixel and reschedules its parked events; returns how many each had.
    public func release(_ pixels: [String], redis: RedisConnection) throws -> [String: Int] {
        let control = PixelControl(layout: layout)
        let retries = RetrySchedule(layout: layout)
        var released: [String: Int] = [:]
        for pixel in pixels {
            try control.resume(pixel: pixel, connection: redis)
            released[pixel] = try retries.unpark(pixel: pixel, connection: redis)
        }
        return released
    }
}
