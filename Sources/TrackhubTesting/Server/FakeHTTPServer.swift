public import Hummingbird
public import Logging
import NIOCore
public import ServiceLifecycle

/// Serves a set of `FakeRoutes` over real HTTP on 127.0.0.1, in-process (tests) or as the whole
/// of a process (`trackhub-fake`).
///
/// Real HTTP rather than a mock, because the daemons talk to the fakes through their real
/// libcurl client: timeouts, keep-alive, status handling and the exact bytes sent are exercised.
public final class FakeHTTPServer: Sendable {
    /// The port it listens on.
    public let port: Int
    /// `http://127.0.0.1:PORT`, to use in place of the real service's base URL.
    public let baseURL: String
    private let serviceGroup: ServiceGroup
    private let task: Task<Void, any Error>
    private let beforeStop: @Sendable () -> Void

    private init(port: Int, serviceGroup: ServiceGroup, task: Task<Void, any Error>, beforeStop: @escaping @Sendable () -> Void) {
        self.port = port
        self.baseURL = "http://127.0.0.1:\(port)"
        self.serviceGroup = serviceGroup
        self.task = task
        self.beforeStop = beforeStop
    }

    /// The Hummingbird application answering `routes` on `port` (0: chosen by the OS). The one
    /// place a fake server is put together, for `start` and for the executable.
    public static func application(
        routes: [any FakeRoutes],
        port: Int,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol & Service {
        let router = Router(context: BasicRequestContext.self)
        for fake in routes { fake.register(on: router) }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// Starts serving `routes` in a background task and returns once it is listening. Throws if
    /// it could not bind or did not start within 10 seconds. `beforeStop` runs first in `stop()`
    /// (a fake cuts its slow answers short there). `services` run in the same group ahead of the
    /// server (a fake's own HTTP client, e.g. the fake Telegram's webhook pusher).
    public static func start(
        routes: [any FakeRoutes],
        port: Int = 0,
        name: String,
        logLevel: Logger.Level = .error,
        services: [any Service] = [],
        beforeStop: @escaping @Sendable () -> Void = {}
    ) async throws -> FakeHTTPServer {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: name)
        logger.logLevel = logLevel
        let app = application(routes: routes, port: port, logger: logger) { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        let serviceGroup = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: services + [app], gracefulShutdownSignals: [], logger: logger)
        )
        let task = Task {
            defer { portContinuation.finish() }
            try await serviceGroup.run()
        }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(10))
            portContinuation.finish()
        }
        var iterator = ports.makeAsyncIterator()
        let bound = await iterator.next()
        watchdog.cancel()
        guard let bound, bound > 0 else {
            await serviceGroup.triggerGracefulShutdown()
            try await task.value  // surfaces a bind error, if that is what happened
            throw FakeServerError("\(name) did not start listening within 10 s")
        }
        return FakeHTTPServer(port: bound, serviceGroup: serviceGroup, task: task, beforeStop: beforeStop)
    }

    /// Stops listening (graceful: idle keep-alive connections are closed, requests in flight
    /// finish) and waits for the server to finish. Idempotent.
    public func stop() async {
        beforeStop()
        await serviceGroup.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
