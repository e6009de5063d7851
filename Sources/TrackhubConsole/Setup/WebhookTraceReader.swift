import TrackhubCore

/// Reads ingestd's ``WebhookTrace`` of a gateway account for step 3 (was the gateway's test
/// delivery received, did it authenticate). The Redis call runs on the Postgres pool's thread,
/// as the insight readers' do, never on the cooperative pool.
struct WebhookTraceReader: Sendable {
    let pool: PostgresPool
    let redis: RedisEndpoint
    let layout: StreamLayout

    func trace(gateway: String, account: String) async throws -> WebhookTrace {
        let (redis, layout) = (redis, layout)
        return try await pool.withConnection { _ in
            let connection = try RedisConnection(endpoint: redis, timeout: .seconds(2))
            defer { connection.close() }
            return try WebhookTrace.read(connection, layout: layout, gateway: gateway, account: account)
        }
    }
}
