import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TrackhubConsole
import TrackhubCore
import UnixSignals

/// `dispatchd console`: the web console, its own process on its own port (loopback by default,
/// behind the operator's reverse proxy; never on ingestd's listener). `dispatchd console
/// create-owner` creates an owner from the terminal instead of the one-time setup token.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console", abstract: "Serve the web console (pt-BR), or create an owner.",
        subcommands: [Serve.self, CreateOwner.self], defaultSubcommand: Serve.self)

    /// How long the console may take to finish its requests on SIGTERM (the unit allows 15 s).
    static let gracefulShutdownBound: Duration = .seconds(10)

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the console (the default).")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let base: BaseSettings
            let console: ConsoleConfiguration
            do {
                let s = try common.resolver()
                base = try BaseSettings(s)
                console = try ConsoleConfiguration(s)
            } catch {
                throw fail("console", error)
            }
            LogfmtLogHandler.bootstrap(level: base.logLevel)
            let logger = Logger(label: "dispatchd.console")
            let pool = PostgresPool(conninfo: base.databaseURL, size: 4, applicationName: "dispatchd-console", logger: logger)
            let store = ConsoleStore(pool: pool)
            let boundPort = Mutex(console.port)
            let app: any Service
            let http: CurlClientPool
            do {
                http = try CurlClientPool(size: 2, userAgent: "trackhub-console", threadName: "th-console-curl")
                let graph = CurlSetupGraph(http: http, graphBaseURL: console.graphBaseURL, graphVersion: console.graphVersion)
                app = try await buildConsoleApplication(console, store: store, keys: try base.keys(), graph: graph,
                                                        pageFetcher: CurlPageFetcher(http: http),
                                                        telegram: CurlTelegramClient(http: http, baseURL: console.telegramBaseURL, timeout: .seconds(10)),
                                                        logger: logger,
                                                        onListening: { port in boundPort.withLock { $0 = port } })
            } catch {
                logger.critical("console cannot start", metadata: [LogKey.error: "\(error)"])
                throw ExitCode(2)
            }
            let announcer = SetupTokenAnnouncer(store: store, url: { console.browserURL(boundPort: boundPort.withLock { $0 }) },
                                                logger: logger)
            var group = ServiceGroupConfiguration(
                services: [.init(service: pool), .init(service: http), .init(service: app), .init(service: announcer)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            group.maximumGracefulShutdownDuration = ConsoleCommand.gracefulShutdownBound
            try await ServiceGroup(configuration: group).run()
        }
    }

    /// `dispatchd console create-owner --login NAME`: the password is read from standard input
    /// (one line), so it is neither in the shell history nor in the process list.
    struct CreateOwner: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-owner", abstract: "Create a console owner; the password is read from standard input.")
        @OptionGroup var common: CommonOptions
        @Option(help: "The owner's login.") var login: String
        @Option(help: "The name the console greets.") var name = ""

        func run() async throws {
            let base: BaseSettings
            do { base = try BaseSettings(try common.resolver()) } catch { throw fail("console create-owner", error) }
            LogfmtLogHandler.bootstrap(level: base.logLevel)
            guard let password = readLine(strippingNewline: true), password.count >= 10 else {
                FileHandle.standardError.write(Data("dispatchd console create-owner: give a password of at least 10 characters on standard input\n".utf8))
                throw ExitCode(2)
            }
            let login = login.trimmingCharacters(in: .whitespaces).lowercased()
            do {
                try await AdminPools.with(base, application: "console") { pools in
                    try await ConsoleStore(pool: pools.postgres).createUser(
                        login: login, displayName: name, password: password, role: .owner, allTenants: true, tenants: [],
                        actor: "dispatchd console create-owner")
                }
                print("owner \(login) created")
            } catch {
                throw fail("console create-owner", error)
            }
        }
    }
}
