import Foundation

/// A real ingestd/dispatchd process started by a test: its stderr goes to a log file the test
/// can read (and check for leaked personal data), and it is stopped (SIGTERM, then SIGKILL)
/// when the test ends.
final class DaemonProcess: @unchecked Sendable {
    // @unchecked: `process` is only mutated in init/start and read afterwards.
    let name: String
    let logPath: String
    private let process: Process

    /// `launcher` runs the binary through another program first (e.g. `prlimit …` or
    /// `setpriv …`, to start it with a unit's limits): its argv, the binary's path is appended.
    init(binary: String, arguments: [String], environment: [String: String], logPath: String,
         launcher: [String] = []) throws {
        name = binary
        self.logPath = logPath
        process = Process()
        let path = TestEnvironment.binDir! + "/" + binary
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [path] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TRACKHUB_") || $0.key.hasPrefix("TRACKHUB_TEST") }
        env.merge(environment) { _, new in new }
        process.environment = env
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        handle.seekToEndOfFile()
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits for a log line containing `needle` and returns that line.
    func waitForLog(_ needle: String, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = log.split(separator: "\n").first(where: { $0.contains(needle) }) { return String(line) }
            if !process.isRunning { throw HarnessError("\(name) exited (status \(process.terminationStatus)) before logging '\(needle)'; log:\n\(log.suffix(2000))") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("\(name) did not log '\(needle)' within \(timeout); log:\n\(log.suffix(2000))")
    }

    /// The port from the "listening" line (`port=NNNN`).
    func waitForPort(_ needle: String) async throws -> Int {
        let line = try await waitForLog(needle)
        guard let range = line.range(of: "port="), let port = Int(line[range.upperBound...].prefix { $0.isNumber }) else {
            throw HarnessError("no port in line: \(line)")
        }
        return port
    }

    /// SIGTERM and wait for exit; returns the exit status.
    @discardableResult
    func terminate(timeout: Duration = .seconds(15)) async -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); waitGone() }
        return process.terminationStatus
    }

    /// SIGKILL (a crash) and wait.
    func kill9() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        waitGone()
    }

    /// Polls instead of `waitUntilExit`, which can block an async test on Linux.
    private func waitGone() {
        for _ in 0..<500 where process.isRunning { usleep(10_000) }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
