public import Foundation

/// The privacy requests (LGPD art. 18) as a long-running server answers them — the console's
/// Privacidade page: the same ``PersonalDataFinder``, ``PersonalDataExport`` and
/// ``PersonalDataEraser`` as `dispatchd privacy`, run on the ``PostgresPool``'s thread (libpq,
/// hiredis and the eraser's waits never block the cooperative pool) with a Redis connection
/// opened for the call, as ``PostgresInsightStore`` does.
///
/// The subject is built inside the call by `subject`, from the tenant's own normaliser (its
/// default country decides how a phone is read), so the hashes are the ones the dispatch stored.
public struct PersonalDataDesk: Sendable {
    public let postgres: PostgresPool
    public let redis: RedisEndpoint
    public let keys: KeyRing
    public let layout: StreamLayout

    public init(postgres: PostgresPool, redis: RedisEndpoint, keys: KeyRing, layout: StreamLayout) {
        self.postgres = postgres
        self.redis = redis
        self.keys = keys
        self.layout = layout
    }

    /// Builds the subject of a request from the tenant's normaliser (throws ``ErasureSubject/Invalid``).
    public typealias SubjectBuilder = @Sendable (UserDataNormalizer) throws -> ErasureSubject

    /// What Trackhub holds about the person: the rows an export would read and an erasure would
    /// act on, plus how many of their events wait in Redis. Reads only; nothing is recorded.
    public func footprint(tenant: String, _ subject: @escaping SubjectBuilder) async throws -> (footprint: PersonFootprint, waiting: Int) {
        let (keys, layout) = (keys, layout)
        return try await withPostgresAndRedis { pg, redis in
            let normalizer = try PersonalDataEraser.normalizer(tenant: tenant, connection: pg)
            let person = try subject(normalizer)
            let finder = PersonalDataFinder(keys: keys)
            let f = try finder.find(person, normalizer: normalizer, connection: pg)
            return (f, try finder.waitingEvents(person, footprint: f, layout: layout, connection: redis).count)
        }
    }

    /// `dispatchd privacy export`'s document (recorded in `privacy_requests` as `requestedBy`).
    public func export(tenant: String, requestedBy: String, _ subject: @escaping SubjectBuilder) async throws -> String {
        let (keys, layout) = (keys, layout)
        return try await withPostgresAndRedis { pg, redis in
            let person = try subject(try PersonalDataEraser.normalizer(tenant: tenant, connection: pg))
            return try PersonalDataExport(keys: keys, layout: layout).export(person, requestedBy: requestedBy, postgres: pg, redis: redis)
        }
    }

    /// `dispatchd privacy erase`: waits at most `drainTimeout` for the streams (throws
    /// ``StreamDrain/NotDrained``, erasing nothing), then erases and records the request.
    public func erase(tenant: String, requestedBy: String, drainTimeout: Duration,
                      _ subject: @escaping SubjectBuilder) async throws -> PersonalDataEraser.Report {
        let (keys, layout) = (keys, layout)
        return try await withPostgresAndRedis { pg, redis in
            let person = try subject(try PersonalDataEraser.normalizer(tenant: tenant, connection: pg))
            return try PersonalDataEraser(keys: keys, layout: layout)
                .erase(person, requestedBy: requestedBy, drainTimeout: drainTimeout, postgres: pg, redis: redis)
        }
    }

    private func withPostgresAndRedis<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection, RedisConnection) throws -> T) async throws -> T {
        try await postgres.withConnection(redis: redis, timeout: .seconds(5), body)
    }
}
