import Logging
import Testing
@testable import TrackhubCore

@Suite("LogfmtLogHandler")
struct LogfmtTests {
    @Test("values with spaces, quotes and newlines are quoted and cannot forge a line")
    func escaping() {
        var line = ""
        LogfmtLogHandler.appendValue("plain", to: &line)
        #expect(line == "plain")
        line = ""
        LogfmtLogHandler.appendValue("a b\"c\nlevel=error", to: &line)
        #expect(line == "\"a b\\\"c\\nlevel=error\"")
        #expect(!line.contains("\n"))
    }

    @Test("syslog priorities map for journald")
    func priorities() {
        #expect(LogfmtLogHandler.syslogPriority(.error) == 3)
        #expect(LogfmtLogHandler.syslogPriority(.info) == 6)
        #expect(LogfmtLogHandler.syslogPriority(.debug) == 7)
    }
}
