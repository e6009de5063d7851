import Foundation
import Logging
import TrackhubCore

/// Resolved ingestd configuration, checked by the table (``IngestSettings``).
struct IngestConfiguration: Sendable {
    var host: String
    var port: Int
    var redis: RedisEndpoint
    var layout: StreamLayout
    var spoolDirectory: String
    var masterKeyFile: String
    /// Whether purpose-only (`v1`) sealed values still open (``SharedSettings/sealAcceptPurposeOnly``).
    var acceptsPurposeOnly = true
    var trustedProxies: [String]
    var maxBodyBytes: Int
    var maxWebhookBytes: Int
    var snapshotPoll: Duration
    var stripeTolerance: Int
    var cookieDomain: String?
    var cookieSecure: Bool
    var clickLimits: ClickParameters.Limits
    var urlQueryAllowList: URLQueryAllowList
    /// Idle and header-read timeout of every connection (``SharedSettings/httpIdleTimeoutMs``).
    var httpIdleTimeout: Duration
    /// Requests a second per client address (0: admission control off).
    var clientRatePerSecond: Int
    /// How long Redis may take to answer the ingest writer (``IngestSettings/redisTimeoutMs``).
    var redisTimeout: Duration
    /// The spool file's cap (``IngestSettings/spoolMaxBytes``).
    var spoolMaxBytes: Int
    /// Percent of Redis maxmemory above which events are refused (0: off).
    var redisMemoryWatermarkPercent: Int
    /// This instance's name in its alert report (``IngestSettings/instance``).
    var instance: String
    var logLevel: Logger.Level

    init(_ s: SettingsResolver) throws {
        typealias S = IngestSettings
        host = try s.text(S.host)
        port = try s.int(S.port)
        redis = try s.redisEndpoint(SharedSettings.redisURL)
        layout = StreamLayout(prefix: try s.text(SharedSettings.streamPrefix))
        spoolDirectory = try s.text(S.spoolDir)
        masterKeyFile = try s.text(SharedSettings.masterKeyFile)
        acceptsPurposeOnly = try s.bool(SharedSettings.sealAcceptPurposeOnly)
        trustedProxies = try s.list(S.trustedProxies)
        maxBodyBytes = try s.int(S.maxBodyBytes)
        maxWebhookBytes = try s.int(S.maxWebhookBytes)
        snapshotPoll = try s.duration(S.snapshotPollMs)
        stripeTolerance = try s.int(S.stripeToleranceSeconds)
        cookieDomain = try s.optionalText(S.cookieDomain)
        cookieSecure = try s.bool(S.cookieSecure)
        clickLimits = ClickParameters.Limits(extraNames: try s.int(S.clickExtraParams), totalBytes: try s.int(S.clickParamsMaxBytes))
        urlQueryAllowList = URLQueryAllowList(extra: try s.list(S.urlQueryAllow))
        httpIdleTimeout = try s.duration(SharedSettings.httpIdleTimeoutMs)
        clientRatePerSecond = try s.int(S.clientRatePerSecond)
        redisTimeout = try s.duration(S.redisTimeoutMs)
        spoolMaxBytes = try s.int(S.spoolMaxBytes)
        redisMemoryWatermarkPercent = try s.int(S.redisMemoryWatermarkPercent)
        instance = try s.text(S.instance, fallback: "\(ProcessInfo.processInfo.hostName)-\(port)")
        logLevel = try s.logLevel(SharedSettings.logLevel)
    }
}
