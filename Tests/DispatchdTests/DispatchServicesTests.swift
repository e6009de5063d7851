import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Testing
import TrackhubCore
@testable import dispatchd

/// `dispatchd run`'s composition root, as the executable calls it: the order the service
/// group starts (and, reversed, stops) the worker's services, and the shutdown bound.
@Suite("dispatchd services")
struct DispatchServicesTests {
    private static func build() throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let resolver = try SettingsResolver(flags: ["consumer": "test-1", "admin-port": "0"], environment: [:])
        return try buildDispatchServices(
            base: try BaseSettings(resolver), worker: try WorkerSettings(resolver),
            keys: KeyRing(keys: [(id: "k1", bytes: Array(repeating: 7, count: 32))]),
            registry: PrometheusCollectorRegistry(), logger: Logger(label: "test"))
    }

    @Test("driver pools first (stopped last), the alerts, the bot update relay, the ad spend import, the Telegram health check and the consumer after their helpers, the systemd notifier last (stopped first)")
    func order() throws {
        let services = try Self.build()
        #expect(services.map(\.serviceName) == [
            "postgres-pool", "redis-consumer", "redis-operations", "curl-pool",
            "admin-server", "metrics-sampler", "config-holder", "retry", "telegram-forward", "alerts", "adspend", "telegram-health", "consumer",
            "systemd-notify",
        ])
        #expect(services[0].service is PostgresPool)
        #expect(services[1].service is RedisClient)
        #expect(services[2].service is RedisClient)
        #expect(services[3].service is CurlClientPool)
        #expect(services[8].service is TelegramForwardService)
        #expect(services[9].service is AlertService)
        #expect(services[10].service is AdSpendService)
        #expect(services[11].service is TelegramHealthService)
        #expect(services[12].service is ConsumerService)
        #expect(services[13].service is SystemdNotifyService)
    }

    @Test("building starts nothing: the services can be dropped unrun")
    func buildStartsNothing() throws {
        // Two builds side by side: nothing binds the admin port or connects in init.
        _ = try Self.build()
        _ = try Self.build()
    }

    @Test("graceful shutdown plus its cancellation margin fits in the unit's TimeoutStopSec")
    func boundFitsStopTimeout() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("systemd/dispatchd@.service"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("TimeoutStopSec=") })
        let stop = Duration.seconds(try #require(Int(line.dropFirst("TimeoutStopSec=".count))))
        #expect(DispatchLifecycle.gracefulShutdownBound + DispatchLifecycle.cancellationMargin <= stop)
    }
}
