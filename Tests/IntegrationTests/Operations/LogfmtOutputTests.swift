import Foundation
import Testing
import TrackhubCore

/// Every line a daemon writes is logfmt, the runtime's included. Each daemon runs a start/stop
/// cycle as under its hardened unit — without CAP_SYS_NICE, so libdispatch's worker threads
/// cannot lower their nice value and libdispatch reports it through syslog(3) — and every line
/// of its stdout and stderr must parse as logfmt. The runtime's report must be among them (as a
/// `label=runtime` line): before, it went to syslog, i.e. a plain line in the unit's journal.
@Suite("every output line is logfmt", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis, Postgres and the built binaries)"))
struct LogfmtOutputTests {
    /// Like the units (`CapabilityBoundingSet=` empty): the process may not raise priorities.
    static let asUnit = ["/usr/bin/setpriv", "--bounding-set=-sys_nice", "--"]

    @Test("ingestd: start, serve, SIGTERM — all logfmt, the runtime's thread-priority report included")
    func ingestd() async throws {
        let f = try IngestFixture(name: "logfmt")
        try await f.start(launcher: Self.asUnit)
        _ = try await RawHTTP.get(port: f.port, "/go/hot")
        #expect(await f.daemon.terminate() == 0)
        Self.expectAllLogfmt(f.daemon.log)
    }

    @Test("dispatchd run: start, join the group, SIGTERM — all logfmt, the runtime's report included")
    func dispatchd() async throws {
        try await withDispatchFixture("logfmt", options: .init(workers: 0)) { f in
            let worker = try DaemonProcess(binary: "dispatchd", arguments: ["run", "--consumer", "lf1"], environment: f.workerEnv,
                                           logPath: f.dir + "/dispatchd-lf1.log", launcher: Self.asUnit)
            _ = try await worker.waitForLog("joined consumer group")
            #expect(await worker.terminate() == 0)
            Self.expectAllLogfmt(worker.log)
        }
    }

    static func expectAllLogfmt(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast(output.hasSuffix("\n") ? 1 : 0)
        #expect(lines.count >= 3, "too little output: \(output)", sourceLocation: sourceLocation)
        var runtime: [String: String]?
        for line in lines {
            guard let fields = Logfmt.parse(String(line)) else {
                Issue.record("not a logfmt line: \(line)", sourceLocation: sourceLocation)
                continue
            }
            #expect(fields["level"] != nil && fields["msg"] != nil && fields["label"] != nil, "\(line)", sourceLocation: sourceLocation)
            if fields["label"] == "runtime" { runtime = fields }
        }
        // The worker-thread priority report, captured (logged at debug: the fixtures log debug).
        #expect(runtime?["msg"] == "runtime message", "no runtime line in:\n\(output.suffix(2000))", sourceLocation: sourceLocation)
        #expect(runtime?["text"]?.hasPrefix("Failed to set thread priority for worker thread") == true, sourceLocation: sourceLocation)
        #expect(runtime?["level"] == "debug", sourceLocation: sourceLocation)
    }
}

/// A strict logfmt reader: `key=value` pairs separated by one space; a key is letters, digits,
/// `_`, `.` or `-`; a value is bare (no space, quote, `=` or backslash) or double-quoted with
/// `\"`, `\\`, `\n`, `\r`, `\t` and `\u{…}` escapes — what ``LogfmtLogHandler`` writes.
enum Logfmt {
    static func parse(_ line: String) -> [String: String]? {
        var fields: [String: String] = [:]
        var rest = Substring(line)
        while !rest.isEmpty {
            let key = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }
            guard !key.isEmpty, key.allSatisfy(\.isASCII) else { return nil }
            rest = rest.dropFirst(key.count)
            guard rest.first == "=" else { return nil }
            rest = rest.dropFirst()
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var closed = false
                while let c = rest.first {
                    rest = rest.dropFirst()
                    if c == "\"" { closed = true; break }
                    if c == "\\" {
                        guard let e = rest.first else { return nil }
                        rest = rest.dropFirst()
                        switch e {
                        case "\"": value.append("\"")
                        case "\\": value.append("\\")
                        case "n": value.append("\n")
                        case "r": value.append("\r")
                        case "t": value.append("\t")
                        case "u":
                            guard rest.first == "{", let end = rest.firstIndex(of: "}"),
                                  let v = UInt32(rest[rest.index(after: rest.startIndex)..<end], radix: 16),
                                  let scalar = Unicode.Scalar(v) else { return nil }
                            value.unicodeScalars.append(scalar)
                            rest = rest[rest.index(after: end)...]
                        default: return nil
                        }
                    } else {
                        guard c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else { return nil }
                        value.append(c)
                    }
                }
                guard closed else { return nil }
            } else {
                let bare = rest.prefix { $0 != " " }
                guard !bare.isEmpty, !bare.contains(where: { $0 == "\"" || $0 == "=" || $0 == "\\" || $0.isNewline }) else { return nil }
                value = String(bare)
                rest = rest.dropFirst(bare.count)
            }
            guard fields[String(key)] == nil else { return nil }
            fields[String(key)] = value
            if rest.isEmpty { break }
            guard rest.first == " " else { return nil }
            rest = rest.dropFirst()
            guard !rest.isEmpty else { return nil }
        }
        return fields.isEmpty ? nil : fields
    }
}
