public import Hummingbird
public import Logging
import NIOCore
public import TrackhubCore

/// The console's composition root, used by `dispatchd console` and by the tests
/// (`app.test(.router)` / `.live`): the renderer over the resources folder, the session
/// middleware, and every page of ``ConsolePages/all``. The caller runs the Postgres pool and the
/// curl pool behind `graph`, `pageFetcher` and `telegram`; configuration changes publish the ingest snapshot to `redis`.
public func buildConsoleApplication(
    _ configuration: ConsoleConfiguration, store: ConsoleStore, keys: KeyRing, graph: any SetupGraph,
    pageFetcher: any PageFetcher, telegram: any TelegramBotAPI, logger: Logger,
    pages: [any ConsolePage.Type] = ConsolePages.all, onListening: @escaping @Sendable (Int) -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let navigation = pages.compactMap { $0.navigation }.sorted { $0.order < $1.order }
    let renderer = try await ConsoleRenderer(resources: ConsoleResources.directory(configuration.resourcesDirectory),
                                             navigation: navigation)
    let layout = StreamLayout(prefix: configuration.streamPrefix)
    let deps = ConsoleDependencies(configuration: configuration, store: store, renderer: renderer, keys: keys,
                                   throttle: LoginThrottle(), logger: logger,
                                   insight: PostgresInsightStore(postgres: store.pool, redis: configuration.redis, layout: layout),
                                   graph: graph, pageFetcher: pageFetcher, writer: ConsoleConfigWriter(pool: store.pool, redis: configuration.redis,
                                                                             layout: layout, keys: keys),
                                   telegram: telegram)
    let router = Router(context: ConsoleRequestContext.self)
    router.middlewares.add(ConsoleSessionMiddleware(deps: deps))
    for page in pages {
        page.init(deps).register(on: router)
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? -1
            logger.notice("console listening", metadata: [LogKey.port: "\(port)"])
            onListening(port)
        },
        logger: logger
    )
}
