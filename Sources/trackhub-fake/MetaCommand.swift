import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TrackhubTesting
import UnixSignals

/// Serves the fake Meta on 127.0.0.1:PORT until SIGTERM/SIGINT.
///
/// Full mode: the Graph events edge (`FakeGraphRoutes`, validating with production's
/// validator), Mercado Pago's payments API (approving any payment id) and the control API
/// (`FakeControlRoutes`). `--count-only`: the counting fake for the benchmark (`FakeMetaCounter`).
struct MetaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "meta", abstract: "Serve the fake Meta (and Mercado Pago).")

    @Option(help: "Port on 127.0.0.1.")
    var port: Int

    @Option(name: .customLong("latency-ms"), help: "Milliseconds slept before answering each events request.")
    var latencyMS = 0

    @Flag(name: .customLong("count-only"), help: "Only count events (no validation, no records): the benchmark's fake.")
    var countOnly = false

    @Option(help: "Append one JSON line per events request to this file (full mode).")
    var records: String?

    func run() async throws {
        var logger = Logger(label: "trackhub-fake")
        logger.logLevel = .warning
        let routes: [any FakeRoutes]
        if countOnly {
            routes = [FakeMetaCounter(latency: .milliseconds(latencyMS)), FakeControlRoutes(meta: nil, mercadoPago: nil)]
        } else {
            var options = FakeMetaOptions()
            options.keepRecords = false
            let meta = FakeMeta(options: options)
            meta.latency = .milliseconds(latencyMS)
            try meta.reset(recordsPath: records)
            let mercadoPago = FakeMercadoPago(approveUnknown: true)
            routes = [FakeGraphRoutes(meta: meta), FakeMercadoPagoRoutes(mercadoPago: mercadoPago),
                      FakeControlRoutes(meta: meta, mercadoPago: mercadoPago)]
        }
        let mode = countOnly ? "count-only" : "full"
        let app = FakeHTTPServer.application(routes: routes, port: port, logger: logger) { bound in
            // Unbuffered: scripts wait for this line in the log.
            FileHandle.standardOutput.write(Data("trackhub-fake meta listening port=\(bound) mode=\(mode)\n".utf8))
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        ))
        try await group.run()
    }
}
