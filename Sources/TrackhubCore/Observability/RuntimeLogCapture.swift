import CSyslogCapture
public import Logging

/// The runtime's own messages as logfmt lines.
///
/// libdispatch (under Swift concurrency, NIO's and service-lifecycle's signal sources) reports
/// through syslog(3), not stderr: under systemd each report lands in the unit's journal as a
/// plain line beside our logfmt ones — "Failed to set thread priority for worker thread: pqc=…
/// errno=13" at every start under the hardened units, where a worker thread may not lower its
/// nice value. `CSyslogCapture` takes over syslog(3) for the process; ``install()`` routes each
/// message here, logged with label `runtime`, msg "runtime message" and the text in `text`.
public enum RuntimeLogCapture {
    static let logger = Logger(label: "runtime")

    /// Routes the process's later syslog(3) calls to swift-log. Call once the logging system is
    /// bootstrapped (``LogfmtLogHandler/bootstrap(level:)`` does).
    public static func install() {
        th_syslog_capture { priority, message in
            guard let message else { return }
            let text = String(cString: message)
            RuntimeLogCapture.logger.log(level: RuntimeLogCapture.level(priority: priority, text: text), "runtime message",
                                         metadata: ["text": "\(text)"])
        }
    }

    /// The level of one syslog message: its priority mapped to swift-log's, except the known
    /// harmless ones. libdispatch's thread-priority complaint says only that a dispatch worker
    /// stays at the process's nice value (the unit grants no CAP_SYS_NICE and RLIMIT_NICE 0);
    /// nothing else changes, so it is `debug`, not a notice at every start.
    static func level(priority: Int32, text: String) -> Logger.Level {
        if text.hasPrefix("Failed to set thread priority for worker thread") { return .debug }
        switch priority {
        case 0...2: return .critical
        case 3: return .error
        case 4: return .warning
        case 5: return .notice
        case 6: return .info
        default: return .debug
        }
    }
}
