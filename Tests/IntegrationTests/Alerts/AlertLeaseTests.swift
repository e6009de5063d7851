import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

extension DispatchEndToEndTests {
    /// The alerts' shell with real processes: two `dispatchd run`, the suite's Redis, a fresh
    /// Postgres database, and ``FakeAlertWebhook`` as the generic webhook.
    @Suite("alerts")
    struct Alerts {
        static func options(webhook: String) -> DispatchFixture.Options {
            var options = DispatchFixture.Options()
            options.workers = 2
            options.workerEnv = [
                "TRACKHUB_ALERT_INTERVAL_MS": "500", "TRACKHUB_ALERT_LEASE_MS": "2000", "TRACKHUB_ALERT_WEBHOOK_URL": webhook,
                "TRACKHUB_ALERT_RESOLVE_AFTER_SECONDS": "1",
            ]
            return options
        }

        static func bodies(_ webhook: FakeAlertWebhook, rule: AlertRule) -> [JSONValue] {
            webhook.accepted().compactMap { JSONValue.parse($0) }.filter { $0["rule"] == .string(rule.rawValue) }
        }

        @Test("one lease holder fires a paused pixel once; kill -9 of the holder: the other takes over without firing it again; one resolved")
        func leaseFailover() async throws {
            let webhook = FakeAlertWebhook()
            let server = try await FakeHTTPServer.start(routes: [FakeAlertWebhookRoutes(webhook: webhook)], name: "alert-webhook")
            do {
                try await withDispatchFixture("alerts-lease", options: Self.options(webhook: server.baseURL + "/alerts")) { f in
                    let keys = AlertRedisKeys(layout: f.layout)
                    let redis = try f.redis()
                    try await f.eventually("an alert lease holder") { try redis.command(["GET", keys.lease]).text != nil }
                    let token = try #require(try redis.command(["GET", keys.lease]).text)
                    let holderName = String(token.split(separator: ":").first ?? "")
                    let holder = try #require(f.worker(holderName), "lease token \(token)")
                    let other = try #require(f.workers.first { $0 !== holder })

                    // The pixel's token is refused: paused until a new token (what OutcomeDecider writes).
                    let reason = "token: Error validating access token (190) " + PixelControl.tokenMarker(f.tokenA)
                    try PixelControl(layout: f.layout).pause(pixel: DispatchFixture.pixelA, reason: reason, duration: nil, connection: redis)
                    try await f.eventually("the alert delivered", timeout: .seconds(20)) { Self.bodies(webhook, rule: .pixelPaused).count == 1 }
                    let fired = Self.bodies(webhook, rule: .pixelPaused)[0]
                    #expect(fired["state"] == .string("fired") && fired["subject"] == .string(DispatchFixture.pixelA))
                    #expect(fired["tenant"] == .string(DispatchFixture.tenantA))
                    if case .string(let title) = fired["title_pt_br"] { #expect(title.contains("pausado")) } else { Issue.record("no title") }

                    holder.kill9()
                    try await f.eventually("the other instance holds the lease", timeout: .seconds(20)) {
                        let now = try redis.command(["GET", keys.lease]).text ?? ""
                        return !now.isEmpty && now != token
                    }
                    // Several of its rounds (every 500 ms) with the alert still active: no second message.
                    try await Task.sleep(for: .seconds(3))
                    #expect(Self.bodies(webhook, rule: .pixelPaused).count == 1, "\(webhook.received())")

                    try PixelControl(layout: f.layout).resume(pixel: DispatchFixture.pixelA, connection: redis)
                    try await f.eventually("the resolved message", timeout: .seconds(20)) { Self.bodies(webhook, rule: .pixelPaused).count == 2 }
                    try await Task.sleep(for: .seconds(2))
                    let states = Self.bodies(webhook, rule: .pixelPaused).map { $0["state"] }
                    #expect(states == [.string("fired"), .string("resolved")])
                    #expect(other.log.contains("alert lease taken"))

                    // Other rules may fire too: the killed holder leaves pending entries behind, which a
                    // slow machine can see as consumer lag. Only the paused pixel's story is judged here.
                    let allHistory = try AlertStore.history(tenant: nil, allTenants: true, connection: try f.postgres())
                    let history = allHistory.filter { $0.notification.key.rule == .pixelPaused }
                    #expect(history.map(\.notification.kind) == [.resolved, .fired])
                    #expect(history.allSatisfy { $0.deliveries == ["webhook": "sent"] })
                    let active = try AlertStore.loadState(connection: try f.postgres()).active.keys
                    #expect(!active.contains { $0.rule == .pixelPaused }, "\(active.map(\.id))")
                    let others = allHistory.filter { $0.notification.key.rule != .pixelPaused }.map { "\($0.notification.key.rule.rawValue):\($0.notification.kind)" }
                    print("[alerts lease] holder=\(holderName) killed; webhook posts=\(webhook.received().count) pixel_paused=\(states.count) (fired, resolved); other rules=\(others)")
                }
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }

        @Test("a webhook answering 503 gets the message again from the outbox; nothing is sent twice once accepted")
        func webhookRetry() async throws {
            let webhook = FakeAlertWebhook()
            webhook.failNext(2, status: 503)
            let server = try await FakeHTTPServer.start(routes: [FakeAlertWebhookRoutes(webhook: webhook)], name: "alert-webhook")
            var options = Self.options(webhook: server.baseURL + "/alerts")
            options.workers = 1
            do {
                try await withDispatchFixture("alerts-retry", options: options) { f in
                    let redis = try f.redis()
                    let reason = "permission: (#200) Permissions error " + PixelControl.tokenMarker(f.tokenB)
                    try PixelControl(layout: f.layout).pause(pixel: DispatchFixture.pixelB, reason: reason, duration: nil, connection: redis)
                    // Retries wait 5 s, then 10 s (the outbox's backoff).
                    try await f.eventually("accepted after two 503s", timeout: .seconds(40)) { Self.bodies(webhook, rule: .pixelPaused).count == 1 }
                    #expect(webhook.received().map(\.status) == [503, 503, 200])
                    #expect(Set(webhook.received().map(\.body)).count == 1, "the same message each time")
                }
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }
    }
}
