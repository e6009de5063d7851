import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import TrackhubCore

/// A handle that remembers which threads touched it.
private final class ProbeHandle: @unchecked Sendable {
    // @unchecked: written only by the pool thread that owns the handle; read by the test after
    // the pool's run() returned (every thread has exited, which orders those writes first).
    var usedOn: Set<String> = []
    var closedOn: String?
}

/// A gate that pool bodies block on (they run on threads that exist to block).
private final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let entered = Mutex(0)

    func pass() {
        entered.withLock { $0 += 1 }
        semaphore.wait()
    }

    func open(_ count: Int) { for _ in 0..<count { semaphore.signal() } }

    var waiting: Int { entered.withLock { $0 } }
}

/// The OS name of the calling thread (what `top -H` and gdb show).
private func currentThreadName() -> String {
    let comm = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/thread-self/comm"))) ?? Data()
    return String(decoding: comm, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Which bodies ran.
private final class Ran: Sendable {
    private let list = Mutex<[String]>([])
    func add(_ name: String) { list.withLock { $0.append(name) } }
    var names: [String] { list.withLock { $0 } }
}

@Suite("HandlePool")
struct HandlePoolTests {
    private static let logger = Logger(label: "test")

    private static func makePool(_ count: Int) -> (HandlePool<ProbeHandle>, [ProbeHandle]) {
        let handles = (0..<count).map { _ in ProbeHandle() }
        let pool = HandlePool(name: "probe", handles: handles) { handle in handle.closedOn = currentThreadName() }
        return (pool, handles)
    }

    /// A bound on waiting, not a timing assertion: the loop itself runs on the cooperative pool,
    /// which in a full `swift test` is shared with every other suite (some of them make
    /// synchronous libpq calls), so on a loaded 2-core machine it can wait its turn for seconds.
    /// Seen: three of these waits failed at 10 s with the machine's load average at 17.
    private static func eventually(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !condition() {
            guard ContinuousClock.now < deadline else { Issue.record("condition not reached"); return }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test("bodies run on the pool's named threads; each handle is used and closed by one thread only")
    func ownThreads() async throws {
        let (pool, handles) = Self.makePool(3)
        let names = try await ServiceGroup.withRunning([pool], logger: Self.logger) {
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<60 {
                    group.addTask {
                        try await pool.withHandle { handle in
                            let name = currentThreadName()
                            handle.usedOn.insert(name)
                            return name
                        }
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
        }
        #expect(names.allSatisfy { $0.hasPrefix("probe-") })
        for handle in handles {
            #expect(handle.usedOn.count <= 1)
            #expect(handle.closedOn != nil)
            if let used = handle.usedOn.first { #expect(handle.closedOn == used) }
        }
    }

    @Test("more blocking calls run at once than the cooperative pool has threads")
    func doesNotUseCooperativePool() async throws {
        let width = ProcessInfo.processInfo.activeProcessorCount + 2
        let (pool, _) = Self.makePool(width)
        let gate = Gate()
        let done = try await ServiceGroup.withRunning([pool], logger: Self.logger) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<width { group.addTask { try await pool.withHandle { _ in gate.pass() } } }
                // Every body blocks its thread until all of them are blocked at once.
                try await Self.eventually { gate.waiting == width }
                gate.open(width)
                try await group.waitForAll()
                return gate.waiting
            }
        }
        #expect(done == width)
    }

    @Test("calls made before run() wait for the threads")
    func queuedBeforeRun() async throws {
        let (pool, _) = Self.makePool(1)
        let early = Task { try await pool.withHandle { _ in 42 } }
        try await Self.eventually { pool.queuedCalls == 1 }
        let value = try await ServiceGroup.withRunning([pool], logger: Self.logger) { try await early.value }
        #expect(value == 42)
    }

    @Test("graceful shutdown runs the queued calls, closes the handles, then refuses new calls")
    func gracefulShutdownDrains() async throws {
        let (pool, handles) = Self.makePool(1)
        let gate = Gate()
        let group = ServiceGroup(services: [pool], logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            async let first = pool.withHandle { _ in gate.pass(); return 1 }
            async let second = pool.withHandle { _ in 2 }
            async let third = pool.withHandle { _ in 3 }
            try await Self.eventually { gate.waiting == 1 && pool.queuedCalls == 2 }
            await group.triggerGracefulShutdown()
            gate.open(1)
            #expect(try await [first, second, third] == [1, 2, 3])
            try await tasks.waitForAll()
        }
        #expect(handles[0].closedOn == "probe-0")
        await #expect(throws: HandlePoolError(.shutDown, pool: "probe")) { try await pool.withHandle { _ in 0 } }
        await #expect(throws: HandlePoolError(.alreadyRun, pool: "probe")) { try await pool.run() }
    }

    @Test("cancellation refuses the calls no thread has started; the running one finishes")
    func cancellationRefusesQueued() async throws {
        let (pool, handles) = Self.makePool(1)
        let gate = Gate()
        let running = Task { try await pool.run() }
        async let first = pool.withHandle { _ in gate.pass(); return 1 }
        let second = Task { try await pool.withHandle { _ in 2 } }
        try await Self.eventually { gate.waiting == 1 && pool.queuedCalls == 1 }
        running.cancel()
        await #expect(throws: HandlePoolError(.shutDown, pool: "probe")) { try await second.value }
        gate.open(1)
        #expect(try await first == 1)
        try await running.value
        #expect(handles[0].closedOn == "probe-0")
    }

    @Test("a caller cancelled while queued: its body is skipped, unless it asked to run anyway")
    func cancelledCaller() async throws {
        let (pool, _) = Self.makePool(1)
        let gate = Gate()
        let ran = Ran()
        try await ServiceGroup.withRunning([pool], logger: Self.logger) {
            let blocker = Task { try await pool.withHandle { _ in gate.pass() } }
            try await Self.eventually { gate.waiting == 1 }
            let skipped = Task { try await pool.withHandle { _ in ran.add("skipped") } }
            let kept = Task { try await pool.withHandle(skipIfCancelled: false) { _ in ran.add("kept") } }
            try await Self.eventually { pool.queuedCalls == 2 }
            skipped.cancel()
            kept.cancel()
            gate.open(1)
            try await blocker.value
            await #expect(throws: CancellationError.self) { try await skipped.value }
            try await kept.value
        }
        #expect(ran.names == ["kept"])
    }
}
