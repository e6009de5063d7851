import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import UnixSignals
import TrackhubCore

/// The composition root of `dispatchd run`: builds every service of one worker, in the order
/// the service group starts them. The executable and the tests both call this.
///
/// Order (dependency-first; shutdown runs in reverse, each service stopped only after every
/// service after it has finished):
/// 1. the driver pools — Postgres, the consumer's Redis, the operations Redis, curl — so they
///    are started before their users and drained and closed after them;
/// 2. the admin server (`/metrics`, `/healthz`), which stays up until the work has stopped;
/// 3. the metrics sampler, the config holder, the retry service, the bot update relay, the
///    alerts, the ad spend import and the Telegram pool health check (each one instance at a
///    time, by a Redis lease), the consumer;
/// 4. the systemd notifier last, so `STOPPING=1` goes out as soon as SIGTERM arrives.
///
/// Nothing is started here: every thread and task begins in its service's `run()`.
/// - Throws: `CurlInitError` when libcurl cannot be initialised.
func buildDispatchServices(
    base: BaseSettings, worker: WorkerSettings, keys: KeyRing, registry: PrometheusCollectorRegistry, logger: Logger
) throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
    let postgres = PostgresPool(conninfo: base.databaseURL, size: worker.postgresConnections,
                                applicationName: "dispatchd-\(worker.consumer)", logger: logger)
    // The consumer's blocking XREADGROUP gets a connection (and thread) of its own.
    let readRedis = RedisClient(endpoint: base.redis)
    let opsRedis = RedisClient(endpoint: base.redis)
    let http = try CurlClientPool(size: worker.senders, userAgent: "trackhub-dispatchd")

    let configs = ConfigHolder(interval: worker.configRefresh, logger: logger) {
        try await postgres.withConnection { conn in
            try ConfigRepository.loadDispatchConfig(connection: conn, keys: keys)
        }
    }
    let sender = EventSender(configuration: worker.sender, http: http, redis: opsRedis, layout: base.layout, postgres: postgres,
                             logger: logger)
    let recorder = OutcomeRecorder(postgres: postgres, redis: opsRedis, layout: base.layout, logger: logger)
    let forwards = RedisTelegramForwardQueue(redis: opsRedis, layout: base.layout)
    let sales = SalesProcessor(configuration: worker.sales, keys: keys, postgres: postgres, http: http, logger: logger,
                               forwards: forwards)
    let pipeline = DispatchPipeline(interpreter: EnvelopeInterpreter(keys: keys), sender: sender, recorder: recorder,
                                    postgres: postgres, logger: logger, sales: sales)
    let joined = Latch(), heartbeat = Heartbeat()
    let consumer = ConsumerService(configuration: worker.consumerConfiguration, layout: base.layout, redis: readRedis,
                                   pipeline: pipeline, configs: configs, logger: logger, heartbeat: heartbeat,
                                   onReady: { joined.set() })
    let retry = RetryService(layout: base.layout, redis: opsRedis, pipeline: pipeline, configs: configs,
                             lease: RetryService.lease(sendTimeout: worker.sender.timeout), logger: logger)
    let dlq = RedisRetryQueue(redis: opsRedis, layout: base.layout)
    let telegramForward = TelegramForwardService(
        configuration: worker.telegramForward, queue: forwards, configs: configs, keys: keys, http: http,
        deadLetters: { letters in
            try await postgres.withConnection { try DispatchStore().insertDeadLetters(letters, connection: $0) }
            try await dlq.commit(RetryQueueChanges(deadLetters: letters))
        }, logger: logger)
    let sampler = MetricsSampler(layout: base.layout, redis: opsRedis, postgres: postgres, logger: logger)
    let telegram = TelegramAlertChannel(client: CurlTelegramClient(http: http, baseURL: worker.alertTelegramBaseURL)) {
        try await postgres.withConnection { try AlertTelegramChat.load(keys: keys, connection: $0).chats }
    }
    let alertChannels: [any AlertChannel] = [telegram] + (worker.alertWebhookURL.map { [WebhookAlertChannel(url: $0, http: http)] } ?? [])
    let alerts = AlertService(configuration: worker.alerts, layout: base.layout, redis: opsRedis, postgres: postgres,
                              channels: alertChannels, holder: worker.consumer, logger: logger)
    let adSpend = AdSpendService(
        configuration: worker.adSpend,
        importer: AdSpendImporter(configuration: worker.adSpend.importer, source: CurlAdInsightsSource(http: http), postgres: postgres,
                                  keys: keys, logger: logger),
        layout: base.layout, redis: opsRedis, holder: worker.consumer, logger: logger)
    let telegramHealth = TelegramHealthService(
        configuration: worker.telegramHealth, client: CurlTelegramClient(http: http, baseURL: worker.telegramBaseURL, timeout: .seconds(5)),
        layout: base.layout, redis: opsRedis, holder: worker.consumer, logger: logger
    ) { TelegramPoolMember.members(of: try await configs.config()) }
    let admin = AdminServer.build(host: worker.adminHost, port: worker.adminPort, idleTimeout: worker.httpIdleTimeout,
                                  registry: registry, logger: logger)
    let systemd = dispatchSystemdService(consumer: worker.consumer, group: base.layout.consumerGroup, joined: joined,
                                         heartbeat: heartbeat, logger: logger)
    let named: [(String, any Service)] = [
        ("postgres-pool", postgres), ("redis-consumer", readRedis), ("redis-operations", opsRedis), ("curl-pool", http),
        ("admin-server", admin), ("metrics-sampler", sampler), ("config-holder", configs), ("retry", retry),
        ("telegram-forward", telegramForward),
        ("alerts", alerts), ("adspend", adSpend), ("telegram-health", telegramHealth), ("consumer", consumer), ("systemd-notify", systemd),
    ]
    return named.map { .init(service: $0.1, serviceName: $0.0) }
}

/// The service group of `dispatchd run`: `services` stopped on SIGTERM/SIGINT, graceful shutdown
/// bounded by ``DispatchLifecycle/gracefulShutdownBound``.
func dispatchServiceGroup(_ services: [ServiceGroupConfiguration.ServiceConfiguration], logger: Logger) -> ServiceGroup {
    var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    configuration.maximumGracefulShutdownDuration = DispatchLifecycle.gracefulShutdownBound
    return ServiceGroup(configuration: configuration)
}
