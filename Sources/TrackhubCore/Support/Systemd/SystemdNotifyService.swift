public import Logging
public import ServiceLifecycle
public import Foundation

/// Tells systemd about a `Type=notify` daemon's life: `READY=1` (with a `STATUS=` line) once
/// `readiness` reports the daemon really ready, then `WATCHDOG=1` every half `WatchdogSec=`
/// while `liveness` holds, and `STOPPING=1` when graceful shutdown begins.
///
/// Put it last in the service group: shutdown runs in reverse order, so it hears SIGTERM
/// first and `STOPPING=1` goes out before the other services drain. Without a notifier (not
/// under systemd) it only waits for shutdown.
public struct SystemdNotifyService: Service {
    /// Returns the status line to publish once the daemon is ready, nil while it is not.
    public typealias ReadinessCheck = @Sendable () async -> String?
    /// True while the daemon's main loop makes progress. A check that hangs withholds the
    /// ping too, which is what a hung daemon should get.
    public typealias LivenessCheck = @Sendable () async -> Bool

    private let notifier: SystemdNotifier?
    private let pollInterval: Duration
    private let readiness: ReadinessCheck
    private let liveness: LivenessCheck
    private let logger: Logger

    public init(notifier: SystemdNotifier?, pollInterval: Duration = .milliseconds(50), logger: Logger,
                readiness: @escaping ReadinessCheck, liveness: @escaping LivenessCheck) {
        self.notifier = notifier
        self.pollInterval = pollInterval
        self.readiness = readiness
        self.liveness = liveness
        self.logger = logger
    }

    /// The notifier `$NOTIFY_SOCKET` asks for, or nil (logged when the variable is set but unusable:
    /// systemd will then never see the service ready, and the reason must be in the journal).
    public static func notifierFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                               logger: Logger) -> SystemdNotifier? {
        do {
            return try SystemdNotifier.fromEnvironment(environment)
        } catch {
            logger.error("systemd notification disabled", metadata: [LogKey.error: "\(error)"])
            return nil
        }
    }

    public func run() async throws {
        guard let notifier else {
            try? await gracefulShutdown()
            return
        }
        logger.notice("systemd notification enabled", metadata: [
            LogKey.notifySocket: "\(notifier.address)",
            LogKey.watchdogIntervalMs: "\(notifier.watchdogInterval.map { String($0.wholeMilliseconds) } ?? "off")",
        ])
        if let status = await waitReady() {
            send(.ready.with(status: status), notifier)
            logger.notice("systemd notified: ready", metadata: [LogKey.status: "\(status)"])
            if let interval = notifier.watchdogInterval {
                await pingWatchdog(every: interval, notifier)
            }
        }
        try? await gracefulShutdown()
        send(.stopping.with(status: "stopping"), notifier)
    }

    private var stopping: Bool { Task.isShuttingDownGracefully || Task.isCancelled }

    /// Polls `readiness` until it reports a status, or nil if shutdown came first.
    private func waitReady() async -> String? {
        while !stopping {
            if let status = await readiness() { return status }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
        }
        return nil
    }

    private func pingWatchdog(every interval: Duration, _ notifier: SystemdNotifier) async {
        var withheld = false
        while !stopping {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            if stopping { break }
            if await liveness() {
                if withheld { logger.notice("watchdog pings resumed: the main loop made progress again") }
                withheld = false
                send(.watchdog, notifier)
            } else if !withheld {
                withheld = true
                logger.error("watchdog ping withheld: the main loop made no progress; systemd restarts the service after WatchdogSec")
            }
        }
    }

    private func send(_ notification: SystemdNotification, _ notifier: SystemdNotifier) {
        do {
            try notifier.send(notification)
        } catch {
            logger.warning("systemd notification not sent", metadata: [
                LogKey.notification: "\(notification)", LogKey.error: "\(error)",
            ])
        }
    }
}
