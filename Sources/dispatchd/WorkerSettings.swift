import Foundation
import TrackhubCore

/// `dispatchd run`'s own settings (``DispatchSettings/worker``), checked by the table and
/// handed to the components they configure.
struct WorkerSettings {
    typealias S = DispatchSettings
    let consumer: String
    let senders: Int
    let postgresConnections: Int
    let configRefresh: Duration
    let adminHost: String
    let adminPort: Int
    /// Idle and header-read timeout of the admin listener's connections.
    let httpIdleTimeout: Duration
    let sender: EventSender.Configuration
    let consumerConfiguration: ConsumerService.Configuration
    let sales: SalesProcessor.Configuration

    init(_ s: SettingsResolver) throws {
        let loopbackHTTP = try s.bool(S.allowLoopbackHTTP)
        consumer = try s.text(S.consumer, fallback: ProcessInfo.processInfo.hostName)
        senders = try s.int(S.senders)
        postgresConnections = try s.int(S.postgresConnections)
        configRefresh = try s.duration(S.configRefreshMs)
        adminHost = try s.text(S.adminHost)
        adminPort = try s.int(S.adminPort)
        httpIdleTimeout = try s.duration(SharedSettings.httpIdleTimeoutMs)
        sender = EventSender.Configuration(
            graphBaseURL: try s.outboundURL(S.graphBaseURL, allowLoopbackHTTP: loopbackHTTP), graphVersion: try s.text(S.graphVersion),
            timeout: try s.duration(S.sendTimeoutMs),
            connectTimeout: try s.duration(S.connectTimeoutMs),
            retryPolicy: RetryPolicy(base: try s.duration(S.retryBaseMs), cap: try s.duration(S.retryCapMs),
                                     maxAttempts: try s.int(S.retryMaxAttempts)),
            throttle: ThrottleBackoff(base: try s.duration(S.throttlePauseMs), cap: try s.duration(S.throttlePauseCapMs)))
        sales = SalesProcessor.Configuration(
            attributionWindow: TimeInterval(try s.int(S.attributionWindowHours) * 3600),
            mercadoPagoBaseURL: try s.outboundURL(S.mercadoPagoBaseURL, allowLoopbackHTTP: loopbackHTTP),
            scoreThreshold: try s.double(S.matchScoreThreshold),
            lateClickHold: try s.duration(S.lateClickHoldMs),
            lateClickRecheck: try s.duration(S.lateClickRecheckMs))
        consumerConfiguration = ConsumerService.Configuration(
            consumerName: consumer, readCount: try s.int(S.readCount),
            claimMinIdle: try s.duration(S.claimIdleMs),
            claimInterval: try s.duration(S.claimIntervalMs),
            retention: try s.duration(S.streamRetentionMs),
            deliveryCap: DeliveryCap(maxDeliveries: try s.int(S.maxDeliveries)))
    }
}
