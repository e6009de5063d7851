import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Slow and silent clients (issue 14: a silent connection stayed open 150 s, 50 slowloris
/// connections the whole minute). ingestd as a real process with a 1 s idle timeout.
@Suite("ingestd: idle and header-read timeout", .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis)"))
struct IngestTimeoutTests {
    @Test("a silent connection and a slowloris head are closed after the idle timeout; requests still work")
    func slowClientsClosed() async throws {
        let f = try IngestFixture(name: "idle")
        try await f.start(extraEnv: ["TRACKHUB_HTTP_IDLE_TIMEOUT_MS": "1000"])
        defer { Task { await f.stop() } }

        let silent = try await RawHTTP.timeUntilClosed(port: f.port, first: [], limit: .seconds(10))
        // One header byte every 300 ms: active on the wire, but never a complete request head.
        let slowloris = try await RawHTTP.timeUntilClosed(
            port: f.port, first: Array("GET /healthz HTTP/1.1\r\nHost: x\r\n".utf8),
            drip: Array(String(repeating: "X-Slow: a\r\n", count: 20).utf8), limit: .seconds(10))
        let silentAfter = try #require(silent, "a silent connection was still open after 10 s")
        let slowAfter = try #require(slowloris, "a slowloris connection was still open after 10 s")
        #expect(silentAfter >= .milliseconds(900) && silentAfter < .seconds(4), "\(silentAfter)")
        #expect(slowAfter >= .milliseconds(900) && slowAfter < .seconds(4), "\(slowAfter)")
        #expect(try await RawHTTP.get(port: f.port, "/healthz").status == 200)
        print("[idle timeout 1 s] silent closed after \(silentAfter), slowloris closed after \(slowAfter)")
    }
}
