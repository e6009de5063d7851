import Foundation

/// `bench-tool`: the parts of `scripts/bench` that need TrackhubCore, built in release mode.
///
///     bench-tool micro FIXTURES_DIR            cost-per-event micro-benchmarks (one JSON object per line)
///     bench-tool preload OPTIONS               valid envelopes straight into the ingest streams
///     bench-tool insight OPTIONS               the console's readers over a seeded 1M-row ledger (p50/p99)
///
/// Not a product: nothing in Trackhub depends on it.
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "micro":
        try Micro.run(arguments: Array(arguments.dropFirst()))
    case "preload":
        try Preload.run(arguments: Array(arguments.dropFirst()))
    case "insight":
        try await InsightBench.run(arguments: Array(arguments.dropFirst()))
    default:
        FileHandle.standardError.write(Data("usage: bench-tool micro FIXTURES_DIR | preload --help | insight --help\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("bench-tool: \(error)\n".utf8))
    exit(1)
}
