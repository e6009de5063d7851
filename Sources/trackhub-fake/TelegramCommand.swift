import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TrackhubCore
import TrackhubTesting
import UnixSignals

/// Serves the fake Telegram Bot API (`FakeTelegramRoutes`: `/bot<token>/<method>` and the
/// `/_telegram/…` control API) on 127.0.0.1:PORT until SIGTERM/SIGINT.
struct TelegramCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "telegram", abstract: "Serve the fake Telegram Bot API.")

    @Option(help: "Port on 127.0.0.1.")
    var port: Int

    @Option(name: .customLong("bot"), help: "USERNAME=TOKEN, a bot known from the start (repeatable).")
    var bots: [String] = []

    func run() async throws {
        var logger = Logger(label: "trackhub-fake")
        logger.logLevel = .warning
        let pusher = try CurlClientPool(size: 2, threadName: "th-fake-tg")
        let telegram = FakeTelegram(pusher: pusher)
        for bot in bots {
            guard let equals = bot.firstIndex(of: "=") else { throw ValidationError("--bot wants USERNAME=TOKEN") }
            telegram.addBot(token: String(bot[bot.index(after: equals)...]), username: String(bot[..<equals]))
        }
        let app = FakeHTTPServer.application(routes: [FakeTelegramRoutes(telegram: telegram)], port: port, logger: logger) { bound in
            // Unbuffered: scripts wait for this line in the log.
            FileHandle.standardOutput.write(Data("trackhub-fake telegram listening port=\(bound)\n".utf8))
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [pusher, app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        ))
        try await group.run()
    }
}
