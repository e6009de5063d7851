import Logging
import TrackhubCore

/// `dispatchd run` under systemd (`Type=notify`): `READY=1` once the worker joined its consumer
/// group; `WATCHDOG=1` while the consumer loop made progress within ``stallBound`` (it turns at
/// least once per read block, 1 s, when idle). Longer than the slowest legitimate batch
/// (bisecting a rejected batch of 500 at 1.5 s a request is well under a minute), so only a
/// loop that is really stuck withholds the pings and gets the worker restarted; its pending
/// entries are re-read under the same consumer name.
func dispatchSystemdService(consumer: String, group: String, joined: Latch, heartbeat: Heartbeat,
                            logger: Logger) -> SystemdNotifyService {
    SystemdNotifyService(
        notifier: SystemdNotifyService.notifierFromEnvironment(logger: logger), logger: logger,
        readiness: { joined.isSet ? "consumer \(consumer) in group \(group)" : nil },
        liveness: { heartbeat.isFresh(within: stallBound) })
}

/// How long the consumer loop may go without progress before the watchdog pings stop.
let stallBound = Duration.seconds(300)
