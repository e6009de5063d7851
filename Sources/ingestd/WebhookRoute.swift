import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NIOCore
import TrackhubCore

/// `POST /webhooks/{gateway}/{account}`: authenticate exactly as the gateway defines, over the
/// raw body and in constant time; append the sealed raw body; 200. Failure → 401 and nothing is
/// appended. A body that is not the gateway's format → 400, nothing appended.
struct WebhookRoute: Sendable {
    let deps: IngestDependencies

    /// Headers a parser may need later; secrets (hottok, signatures) are never kept.
    static let keptHeaders: [HTTPField.Name] = [HTTPField.Name("X-Request-Id")!, .userAgent]

    func handle(_ request: Request, context: IngestRequestContext) async throws -> Response {
        let gatewayName = context.parameters.get("gateway") ?? ""
        let accountName = context.parameters.get("account") ?? ""
        guard let gateway = Gateway(rawValue: gatewayName) else { throw Problem.notFound("unknown gateway") }
        guard let snapshot = deps.snapshots.snapshot else { throw Problem.notReady }
        guard let account = snapshot.account(gateway: gatewayName, account: accountName) else {
            throw Problem.notFound("unknown gateway account")
        }
        let body = try await collectBody(request, limit: deps.maxWebhookBytes)
        let contentType = request.headers[.contentType]
        guard WebhookAuthenticator.checkBodyShape(gateway: gateway, rawBody: body, contentType: contentType) else {
            throw Problem(.badRequest, type: "body-shape", title: "The body is not what this gateway sends",
                          detail: gateway == .monetizze ? "expected an application/x-www-form-urlencoded postback" : "expected a JSON object")
        }
        let query = QueryString.parse(request.uri.query ?? "")
        let headers = request.headers
        let result = WebhookAuthenticator.verify(
            gateway: gateway, rawBody: body, headers: { name in HTTPField.Name(name).flatMap { headers[$0] } },
            query: query, secrets: account.secrets, now: Date(), stripeTolerance: deps.stripeTolerance)
        if case .rejected(let reason) = result {
            deps.logger.notice("webhook rejected", metadata: [
                LogKey.gateway: "\(gatewayName)", LogKey.account: "\(accountName)", LogKey.reason: "\(reason)",
            ])
            // A burst of these per account is what the alert rules (docs/ALERTS.md) watch: a
            // secret changed on the gateway. Accounts come from the snapshot, so the labels are bounded.
            deps.rejections.add(gateway: gatewayName, account: accountName)
            await deps.webhookTrace?.record(gateway: gatewayName, account: accountName, outcome: result)
            Counter(label: "trackhub_webhooks_rejected_total", dimensions: [("gateway", gatewayName), ("account", accountName)]).increment()
            throw Problem.unauthorized
        }

        // Only now, after the signature was checked over the bytes as they arrived, is anything
        // made storable (``StorableText``): the kept headers and the query parameters a parser
        // reads (``Gateway/queryNamesKept``; a token in a webhook URL is not kept). The body is
        // sealed exactly as received.
        var kept: [String: String] = [:]
        for name in Self.keptHeaders {
            if let v = headers[name] { kept[name.canonicalName] = StorableText.storable(String(v.prefix(256))) }
        }
        let now = Date()
        let envelopeID = ClickID.generate(now: now)
        let sealed = try deps.keys.seal(body, for: .webhookBody(tenant: account.tenant, envelope: envelopeID))
        let envelope = Envelope(
            id: envelopeID, kind: .webhook, receivedAt: Int64(now.timeIntervalSince1970 * 1000),
            tenant: account.tenant,
            webhook: .init(gateway: gatewayName, account: accountName, contentType: contentType,
                           query: StorableText.storable(pairs: query.filter { gateway.queryNamesKept.contains($0.0) }).map { [$0.0, $0.1] }, headers: kept, body: sealed))
        let durability = try await deps.append(envelope, priority: .high)
        // Traced only when Redis just took the envelope: with Redis down the answer is not delayed.
        if case .redis = durability { await deps.webhookTrace?.record(gateway: gatewayName, account: accountName, outcome: .ok) }
        deps.logger.info("webhook accepted", metadata: [
            LogKey.envelopeID: "\(envelope.id)", LogKey.gateway: "\(gatewayName)", LogKey.account: "\(accountName)",
            LogKey.durability: "\(durability.label)",
        ])
        var out = HTTPFields()
        out[.contentType] = "application/json"
        return Response(status: .ok, headers: out,
                        body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"accepted\",\"id\":\"\(envelope.id)\"}")))
    }
}
