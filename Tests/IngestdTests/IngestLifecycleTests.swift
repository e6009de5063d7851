import Foundation
import Testing
@testable import ingestd

/// The shutdown bound must end before systemd's SIGKILL.
@Suite("ingestd lifecycle")
struct IngestLifecycleTests {
    @Test("graceful shutdown plus its cancellation margin fits in the unit's TimeoutStopSec")
    func boundFitsStopTimeout() throws {
        let stop = try SystemdUnit.timeoutStop(of: "ingestd@.service")
        #expect(IngestLifecycle.gracefulShutdownBound + IngestLifecycle.cancellationMargin <= stop)
        #expect(IngestLifecycle.spoolDrainBudget < IngestLifecycle.gracefulShutdownBound)
    }
}

/// Reads a setting of a unit file in the repository's systemd/ folder.
enum SystemdUnit {
    static func timeoutStop(of unit: String) throws -> Duration {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("systemd/\(unit)"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("TimeoutStopSec=") })
        return .seconds(try #require(Int(line.dropFirst("TimeoutStopSec=".count))))
    }
}
