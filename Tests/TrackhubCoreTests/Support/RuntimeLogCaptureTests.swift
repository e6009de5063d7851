import Logging
import Testing
@testable import TrackhubCore

@Suite("RuntimeLogCapture")
struct RuntimeLogCaptureTests {
    @Test("syslog priorities map to swift-log levels")
    func priorities() {
        #expect(RuntimeLogCapture.level(priority: 2, text: "x") == .critical)
        #expect(RuntimeLogCapture.level(priority: 3, text: "x") == .error)
        #expect(RuntimeLogCapture.level(priority: 4, text: "x") == .warning)
        #expect(RuntimeLogCapture.level(priority: 5, text: "BUG in libdispatch: x") == .notice)
        #expect(RuntimeLogCapture.level(priority: 7, text: "x") == .debug)
    }

    @Test("libdispatch's thread-priority complaint under a hardened unit is debug")
    func threadPriority() {
        #expect(RuntimeLogCapture.level(priority: 5, text: "Failed to set thread priority for worker thread: pqc=0x7f0 errno=13") == .debug)
    }
}
