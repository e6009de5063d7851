import Logging
import NIOCore
import TrackhubCore

/// ingestd under systemd (`Type=notify`): `READY=1` once the server is listening and `/readyz`
/// would answer 200 (a snapshot loaded, Redis writable or the spool usable); `WATCHDOG=1`
/// while every HTTP event loop still runs a task, so a wedged loop gets the process restarted.
func ingestSystemdService(deps: IngestDependencies, listening: Latch, eventLoops: any EventLoopGroup,
                          logger: Logger) -> SystemdNotifyService {
    SystemdNotifyService(
        notifier: SystemdNotifyService.notifierFromEnvironment(logger: logger), logger: logger,
        readiness: {
            guard listening.isSet, HealthRoutes.isReady(deps), let version = deps.snapshots.snapshot?.version else { return nil }
            return "accepting events (snapshot version \(version))"
        },
        liveness: {
            for loop in eventLoops.makeIterator() {
                guard (try? await loop.submit {}.get()) != nil else { return false }
            }
            return true
        })
}
