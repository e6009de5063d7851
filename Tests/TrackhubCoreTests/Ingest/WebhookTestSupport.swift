import Foundation
@testable import TrackhubCore

/// Shorthand for one verification with sensible defaults.
func verifyWebhook(
    _ gateway: Gateway, body: String, headers: [String: String] = [:], query: String = "",
    secrets: [String], now: Date = Date(timeIntervalSince1970: 1_700_000_000), tolerance: TimeInterval = 300
) -> WebhookAuthResult {
    WebhookAuthenticator.verify(gateway: gateway, rawBody: body.bodyBytes, headers: edgeHeaders(headers),
                                query: QueryString.parse(query), secrets: secrets, now: now, stripeTolerance: tolerance)
}
