import Foundation
import TrackhubCore

/// Cost-per-event micro-benchmarks: each case runs for about `roundTime`, five rounds after a
/// warm-up round; the fastest and the median round are reported in ns per operation (the
/// fastest is the least disturbed by other work on a shared machine). One JSON object per line:
/// `{"name":…,"unit":…,"ns_min":…,"ns_median":…,"iterations":…}`.
enum Micro {
    static let roundTime = Duration.milliseconds(200)

    static func run(arguments: [String]) throws {
        guard let fixtures = arguments.first else { throw Options.UsageError(description: "usage: bench-tool micro FIXTURES_DIR") }
        let filter = arguments.dropFirst().first
        for c in try MicroCases.all(fixtures: fixtures) where filter == nil || c.name.contains(filter!) {
            measure(c)
        }
    }

    static func measure(_ c: MicroCase) {
        // Calibrate: grow the batch until one round takes about `roundTime`.
        var iterations = 1
        while true {
            let t = time(c, iterations)
            if t >= roundTime / 4 || iterations >= 1 << 24 {
                iterations = max(1, Int(Double(iterations) * roundTime.inSeconds / max(t.inSeconds, 1e-9)))
                break
            }
            iterations *= 4
        }
        var rounds: [Double] = []
        for _ in 0..<5 {
            rounds.append(time(c, iterations).inSeconds * 1e9 / Double(iterations))
        }
        rounds.sort()
        print(#"{"name":"\#(c.name)","unit":"\#(c.unit)","ns_min":\#(Int(rounds[0].rounded())),"ns_median":\#(Int(rounds[2].rounded())),"iterations":\#(iterations)}"#)
    }

    private static func time(_ c: MicroCase, _ iterations: Int) -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<iterations { c.body() }
        return clock.now - start
    }
}

/// One benchmarked operation.
struct MicroCase {
    let name: String
    /// What one operation is (shown in the report).
    let unit: String
    let body: () -> Void
}

/// Keeps a result alive so the optimiser cannot remove the work that produced it.
@_optimize(none)
func blackHole<T>(_ value: T) {}

extension Duration {
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
