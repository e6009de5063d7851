import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import TrackhubCore

@Suite("CurlClientPool")
struct CurlClientPoolTests {
    /// Echoes the body; `/delay/MS` waits MS milliseconds first.
    static func makeServer() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            let path = String(request.target.prefix { $0 != "?" })
            if path.hasPrefix("/delay/"), let ms = Int(path.dropFirst("/delay/".count)) {
                return .respond(status: 200, body: request.body, delay: .milliseconds(ms))
            }
            return .respond(status: 200, body: request.method == "GET" ? Array("got".utf8) : request.body)
        }
    }

    @Test("each outcome reaches its own caller; N threads use N kept-alive connections")
    func concurrentRequests() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let pool = try CurlClientPool(size: 2)
        let started = ContinuousClock.now

        let results = try await Self.running(pool) {
            await withTaskGroup(of: (Int, HTTPOutcome).self) { group in
                for index in 0..<6 {
                    group.addTask {
                        (index, await pool.post(url: server.url("/delay/200"), body: Array("req-\(index)".utf8), timeout: .seconds(5)))
                    }
                }
                var results: [Int: HTTPOutcome] = [:]
                for await (index, outcome) in group { results[index] = outcome }
                return results
            }
        }
        let elapsed = ContinuousClock.now - started

        #expect(results.count == 6)
        for (index, outcome) in results {
            #expect(outcome.status == 200)
            #expect(outcome.body == Array("req-\(index)".utf8))
        }
        #expect(server.maxConcurrentConnections == 2)
        #expect(server.connectionCount == 2)
        #expect(server.requests.count == 6)
        // Two threads, six 200 ms requests: at least three rounds.
        #expect(elapsed >= .milliseconds(590))
    }

    @Test("more blocking requests run at once than the cooperative pool has threads")
    func doesNotUseCooperativePool() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        // Swift's cooperative pool has one thread per core. Had the pool blocked those
        // threads, at most `activeProcessorCount` requests could ever be in flight together.
        let width = ProcessInfo.processInfo.activeProcessorCount + 2
        let pool = try CurlClientPool(size: width)
        let outcomes = try await Self.running(pool) {
            await withTaskGroup(of: HTTPOutcome.self) { group in
                for _ in 0..<width {
                    group.addTask { await pool.post(url: server.url("/delay/800"), body: Array("x".utf8), timeout: .seconds(5)) }
                }
                var outcomes: [HTTPOutcome] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
        }

        #expect(outcomes.count == width)
        #expect(outcomes.allSatisfy { $0.status == 200 })
        // All of them were in flight at the same moment (each server reply waits 800 ms).
        #expect(server.maxConcurrentConnections == width)
    }

    @Test("graceful shutdown drains queued requests, then refuses new ones without sending")
    func shutdownDrains() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let pool = try CurlClientPool(size: 1)
        let group = ServiceGroup(services: [pool], logger: Logger(label: "test"))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            async let first = pool.post(url: server.url("/delay/150"), body: Array("a".utf8), timeout: .seconds(5))
            async let second = pool.post(url: server.url("/delay/150"), body: Array("b".utf8), timeout: .seconds(5))
            async let third = pool.get(url: server.url("/delay/150"), timeout: .seconds(5))
            // Let all three reach the queue before shutting down.
            while server.requests.isEmpty || pool.queuedRequests < 2 {
                if server.requests.count >= 3 { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            await group.triggerGracefulShutdown()
            let drained = await [first, second, third]
            try await tasks.waitForAll()  // the pool's run() returned: every thread has exited
            #expect(drained.map(\.status) == [200, 200, 200])
            #expect(drained[0].body == Array("a".utf8))
            #expect(drained[1].body == Array("b".utf8))
            #expect(server.connectionCount == 1)
        }

        let refused = await pool.post(url: server.url("/echo"), body: Array("late".utf8), timeout: .seconds(5))
        guard case .failure(let kind, let message, _) = refused else {
            Issue.record("expected a failure after shutdown, got \(refused)")
            return
        }
        #expect(kind == .other)
        #expect(message.contains("shut down"))
        #expect(server.requests.count == 3)
        #expect(pool.queuedRequests == 0)
    }

    @Test("pool size is at least one")
    func minimumSize() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let pool = try CurlClientPool(size: 0)
        #expect(pool.size == 1)
        let body = try await Self.running(pool) { await pool.get(url: server.url("/x"), timeout: .seconds(5)).body }
        #expect(body == Array("got".utf8))
    }

    /// Runs `body` with the pool running as a service, as the daemons do.
    static func running<T: Sendable>(_ pool: CurlClientPool, _ body: () async throws -> T) async throws -> T {
        try await ServiceGroup.withRunning([pool], logger: Logger(label: "test"), body)
    }
}
