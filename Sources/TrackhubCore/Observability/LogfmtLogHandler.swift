public import Logging
import Glibc
public import Foundation

/// A swift-log handler writing one logfmt line per record to stderr:
/// `ts=… level=info label=ingestd msg="click accepted" click_id=… slug=…`.
///
/// journald captures stderr, so `journalctl -u 'dispatchd@*' | grep event_id=…` finds an event.
/// When `$JOURNAL_STREAM` is set (running under systemd) each line starts with a syslog
/// priority prefix (`<3>`…`<7>`) so `journalctl -p err` works, and the timestamp is omitted
/// (journald stamps lines itself).
public struct LogfmtLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let journald: Bool

    public init(label: String, level: Logger.Level = .info, journald: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil) {
        self.label = label
        self.logLevel = level
        self.journald = journald
    }

    /// Bootstraps swift-log once for a daemon, and routes the runtime's syslog(3) messages to it
    /// (``RuntimeLogCapture``) so every line the process writes is logfmt.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in LogfmtLogHandler(label: label, level: level) }
        RuntimeLogCapture.install()
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = ""
        line.reserveCapacity(160)
        if journald {
            line += "<\(Self.syslogPriority(event.level))>"
        } else {
            line += "ts=" + Self.timestamp() + " "
        }
        line += "level=\(event.level.rawValue) label=\(label) msg="
        Self.appendValue(event.message.description, to: &line)
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for key in merged.keys.sorted() {
            line += " " + key + "="
            Self.appendValue(merged[key]!.description, to: &line)
        }
        line += "\n"
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buf in
            var off = 0
            while off < buf.count {
                let n = write(2, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { break }
                off += n
            }
        }
    }

    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// Quotes a value when it has spaces, quotes, `=` or control characters; escapes newlines so a
    /// value can never forge a second log line.
    static func appendValue(_ value: String, to line: inout String) {
        let needsQuotes = value.isEmpty || value.utf8.contains { $0 <= 0x20 || $0 == 0x22 || $0 == 0x3D || $0 == 0x5C || $0 == 0x7F }
        guard needsQuotes else { line += value; return }
        line += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    line += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    line.unicodeScalars.append(scalar)
                }
            }
        }
        line += "\""
    }

    private static func timestamp() -> String {
        // Milliseconds since the epoch from Foundation, not `gettimeofday`: hiredis' headers
        // include <sys/time.h>, so in a whole-module (release) build the compiler may attribute
        // `timeval` to CHiredis and refuse it under MemberImportVisibility.
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        var t = time_t(nowMs / 1000)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        let ms = Int(nowMs % 1000)
        func p2(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let msString = ms < 10 ? "00\(ms)" : (ms < 100 ? "0\(ms)" : "\(ms)")
        return "\(tmv.tm_year + 1900)-\(p2(tmv.tm_mon + 1))-\(p2(tmv.tm_mday))T\(p2(tmv.tm_hour)):\(p2(tmv.tm_min)):\(p2(tmv.tm_sec)).\(msString)Z"
    }
}
