import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// What the sales end-to-end tests add on top of ``DispatchFixture`` (which they use as is):
///
/// - a configuration of their own, applied with `dispatchd apply` before any worker starts: the
///   fixture's two tenants and pixels, plus tenant `shop` links to each gateway's checkout (the
///   click id travels where that gateway hands it back) and one gateway account per gateway,
///   each with its own webhook secret from an environment variable;
/// - the click helper that reads the click id from the redirect's `Location` (where the
///   gateway will read it), and signed webhook deliveries built like each gateway builds them
///   (``SalesWebhooks``);
/// - readers for `conversions`, `matches` and `webhook_inbox`.
///
/// Use ``withSalesFixture(_:options:startWorkers:_:)``; teardown is the dispatch fixture's.
final class SalesFixture: @unchecked Sendable {
    // @unchecked: wraps the dispatch fixture, which is used by one test task at a time.
    let f: DispatchFixture
    /// Mercado Pago's payments API, where workers fetch the payment a webhook names.
    let mercadoPago: FakeMercadoPagoServer

    init(_ f: DispatchFixture, mercadoPago: FakeMercadoPagoServer) {
        self.f = f
        self.mercadoPago = mercadoPago
    }

    /// The access token of account `mercadopago/main` (environment variable, test-only value).
    static let mercadoPagoToken = (env: "TH_TEST_SALES_MERCADOPAGO_TOKEN", value: "APP_USR-sales-test-4Qd")

    static var tenant: String { DispatchFixture.tenantA }
    static var pixel: String { DispatchFixture.pixelA }

    /// Webhook secrets per gateway (account `main` of tenant `shop`): environment variable
    /// named in the YAML, and its (test-only) value.
    static let secrets: [Gateway: (env: String, value: String)] = [
        .hotmart: ("TH_TEST_SALES_HOTMART_SECRET", "hottok-sales-test-7Qx"),
        .kiwify: ("TH_TEST_SALES_KIWIFY_SECRET", "kiwify-sales-test-9Lm"),
        .eduzz: ("TH_TEST_SALES_EDUZZ_SECRET", "eduzz-sales-test-3Pa"),
        .monetizze: ("TH_TEST_SALES_MONETIZZE_SECRET", "monetizze0chave0sales0test"),
        .stripe: ("TH_TEST_SALES_STRIPE_SECRET", "whsec_salesTest5Zk"),
        .mercadopago: ("TH_TEST_SALES_MERCADOPAGO_SECRET", "mp-sales-test-8Wr"),
    ]

    static func secret(_ gateway: Gateway) -> String { secrets[gateway]!.value }

    /// The tenant's Telegram bot (issue 19): its username (the account), the webhook secret
    /// token's variable and value, and the link whose clicks go to it (`t.me/<bot>?start=<click id>`).
    static let bot = (username: "acme_start_bot", env: "TH_TEST_SALES_TELEGRAM_SECRET", secret: "tg-sales-test_4Kq", slug: "sales-bot")

    /// The tracking link (tenant `shop`) that leads to each gateway's checkout, and the query
    /// parameter of the `Location` that carries the click id there.
    static let links: [Gateway: (slug: String, parameter: String)] = [
        .hotmart: (DispatchFixture.slugA, "sck"),
        .kiwify: ("sales-kiwify", "sck"),
        .eduzz: ("sales-eduzz", "utm_content"),
        .monetizze: ("sales-monetizze", "src"),
        .stripe: ("sales-stripe", "th_cid"),
    ]

    /// The fixture's configuration (same tenants, pixels, token variables, links and the
    /// `other` tenant's Kiwify account) plus the sales links and accounts.
    var configYAML: String {
        """
        tenants:
          - id: \(DispatchFixture.tenantA)
            name: Shop (sales test)
            default_country_code: "55"
            default_country: br
            allowed_origins: ["\(DispatchFixture.originA)"]
            pixels:
              - id: "\(DispatchFixture.pixelA)"
                token_env: \(DispatchFixture.tokenEnvA)
                mode: live
                send_click_as_pageview: true
                batch_size: \(f.options.batchSize)
                default: true
            links:
              - slug: \(DispatchFixture.slugA)
                destination:
                  type: hotmart
                  url: "https://pay.hotmart.com/X1234?off=a1"
                  also_src: true
              - slug: sales-kiwify
                destination:
                  type: kiwify
                  url: "https://pay.kiwify.com.br/AbC123"
              - slug: sales-eduzz
                destination:
                  type: generic
                  url: "https://sun.eduzz.com/2113458"
                  parameter: utm_content
              - slug: sales-monetizze
                destination:
                  type: generic
                  url: "https://app.monetizze.com.br/checkout/KAB298341"
                  parameter: src
              - slug: sales-stripe
                destination:
                  type: generic
                  url: "https://lp.shop.example/checkout"
                  parameter: th_cid
              - slug: \(Self.bot.slug)
                destination:
                  type: telegram
                  bots:
                    - username: \(Self.bot.username)
                      weight: 1
            gateway_accounts:
        \(Self.accountsYAML)
              - gateway: telegram
                account: \(Self.bot.username)
                secret_env: \(Self.bot.env)
          - id: \(DispatchFixture.tenantB)
            name: Other (sales test)
            default_country_code: "55"
            default_country: br
            allowed_origins: ["\(DispatchFixture.originB)"]
            pixels:
              - id: "\(DispatchFixture.pixelB)"
                token_env: \(DispatchFixture.tokenEnvB)
                mode: live
                send_click_as_pageview: true
                batch_size: \(f.options.batchSize)
                default: true
            links:
              - slug: \(DispatchFixture.slugB)
                destination:
                  type: generic
                  url: "https://lp.other.example/offer"
                  parameter: cid
            gateway_accounts:
              - gateway: kiwify
                account: other
                secret_env: TH_TEST_KIWIFY_SECRET

        """
    }

    static var accountsYAML: String {
        [Gateway.hotmart, .kiwify, .eduzz, .monetizze, .stripe, .mercadopago].map { g in
            """
                  - gateway: \(g.rawValue)
                    account: main
                    secret_env: \(secrets[g]!.env)
                    settings: {pending_event: PaymentPending, refund_event: PurchaseRefunded}\(g == .mercadopago ? "\n        api_token_env: \(mercadoPagoToken.env)" : "")
            """
        }.joined(separator: "\n")
    }

    /// Writes and applies the sales configuration, then waits until ingestd serves the new
    /// snapshot: every sales account refuses an unsigned delivery with 401 (404 = unknown
    /// account). Links and accounts are published in one snapshot, so the links are served too.
    func applySalesConfig() async throws {
        let path = f.dir + "/sales.yaml"
        try configYAML.write(toFile: path, atomically: true, encoding: .utf8)
        var env: [String: String] = [:]
        for (_, s) in Self.secrets { env[s.env] = s.value }
        env[Self.mercadoPagoToken.env] = Self.mercadoPagoToken.value
        env[Self.bot.env] = Self.bot.secret
        try await f.cli(["apply", path], env: env).requireSuccess("dispatchd apply (sales config)")
        let port = f.ingestPort
        let deadline = ContinuousClock.now + .seconds(15)
        var pending = Set(Self.secrets.keys).union([.telegram])
        while !pending.isEmpty {
            for g in pending {
                let account = g == .telegram ? Self.bot.username : "main"
                let r = try await RawHTTP.request(port: port, method: "POST", target: "/webhooks/\(g.rawValue)/\(account)",
                                                  headers: [("Content-Type", g == .monetizze ? "application/x-www-form-urlencoded" : "application/json")],
                                                  body: Array((g == .monetizze ? "probe=1" : "{}").utf8))
                if r.status == 401 { pending.remove(g) }
            }
            if pending.isEmpty { break }
            guard ContinuousClock.now < deadline else {
                throw HarnessError("ingestd never served the sales accounts \(pending.map(\.rawValue).sorted()); log:\n\(f.ingest.log.suffix(1500))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    // MARK: - Traffic

    struct Click: Sendable {
        let id: String
        let location: String
    }

    /// A click on the link to `gateway`'s checkout, like a browser coming from an ad; the click
    /// id is read from the `Location` parameter the gateway will hand back (and checked
    /// against the `th_cid` cookie).
    func click(to gateway: Gateway, fbclid: String? = "IwAR-sales_Xy7", fbp: String? = "fb.1.1596403881668.1116446470",
               userAgent: String = SalesFixture.clickUserAgent, forwardedFor: String? = nil) async throws -> Click {
        let link = Self.links[gateway]!
        var target = "/go/\(link.slug)?utm_source=fb&utm_campaign=sales"
        if let fbclid { target += "&fbclid=\(fbclid)" }
        var headers = [("User-Agent", userAgent)]
        if let fbp { headers.append(("Cookie", "_fbp=\(fbp)")) }
        if let forwardedFor { headers.append(("X-Forwarded-For", forwardedFor)) }
        let r = try await RawHTTP.get(port: f.ingestPort, target, headers: headers)
        guard r.status == 302, let location = r.header("Location"), let components = URLComponents(string: location),
              let id = components.queryItems?.first(where: { $0.name == link.parameter })?.value else {
            throw HarnessError("click on /go/\(link.slug) answered \(r.status) \(r.header("Location") ?? "-"): \(r.text)")
        }
        guard let cookie = r.header("Set-Cookie"), cookie.hasPrefix("th_cid=\(id);") else {
            throw HarnessError("Location carries \(id) but the cookie is \(r.header("Set-Cookie") ?? "-")")
        }
        return Click(id: id, location: location)
    }

    static let clickUserAgent = "Mozilla/5.0 (Linux; Android 14) sales-test-click"

    /// POSTs a signed delivery to ingestd as the gateway would.
    func deliver(_ w: SalesWebhooks.Delivery) async throws -> RawHTTP.Response {
        try await RawHTTP.request(port: f.ingestPort, method: "POST", target: w.target, headers: w.headers, body: w.body)
    }

    /// Delivers and requires `200 {"status":"accepted","id":…}`; returns the envelope id.
    @discardableResult
    func deliverAccepted(_ w: SalesWebhooks.Delivery) async throws -> String {
        let r = try await deliver(w)
        guard r.status == 200, let id = r.json?["id"] as? String else {
            throw HarnessError("\(w.target) answered \(r.status): \(r.text)")
        }
        return id
    }

    // MARK: - Postgres

    struct ConversionRow: Sendable, CustomStringConvertible {
        let id: Int
        let gateway: String
        let account: String
        let transactionID: String
        let status: String
        let tenant: String
        let value: Double?
        let currency: String?
        let rawEventType: String?
        let envelopeID: String?
        let buyerJSON: String?
        var description: String { "conv#\(id) \(gateway)/\(account) \(transactionID) \(status) [\(rawEventType ?? "-")] \(value.map { "\($0)" } ?? "-") \(currency ?? "-")" }
    }

    func conversions(transaction: String) throws -> [ConversionRow] {
        let conn = try f.postgres()
        defer { conn.close() }
        let r = try conn.query("""
            SELECT id, gateway, account, transaction_id, status, tenant_id, value::float8 AS value, currency, raw_event_type,
                   envelope_id, buyer::text AS buyer
            FROM conversions WHERE transaction_id = $1 ORDER BY id
            """, [.string(transaction)])
        return try r.indices.map { i in
            ConversionRow(id: try r.int(i, "id") ?? 0, gateway: try r.string(i, "gateway") ?? "", account: try r.string(i, "account") ?? "",
                          transactionID: try r.string(i, "transaction_id") ?? "", status: try r.string(i, "status") ?? "",
                          tenant: try r.string(i, "tenant_id") ?? "", value: try r.double(i, "value"), currency: try r.string(i, "currency"),
                          rawEventType: try r.string(i, "raw_event_type"), envelopeID: try r.string(i, "envelope_id"),
                          buyerJSON: try r.string(i, "buyer"))
        }
    }

    struct MatchRow: Sendable, CustomStringConvertible {
        let conversionID: Int
        let touchpointID: Int
        let method: String
        let score: Double
        /// The matched touchpoint's kind, click id and envelope.
        let touchpointKind: String
        let touchpointClickID: String?
        let touchpointEnvelopeID: String
        var description: String { "match conv#\(conversionID) → tp#\(touchpointID) (\(touchpointKind) \(touchpointClickID ?? "-")) \(method) \(score)" }
    }

    /// The `matches` rows of a transaction's conversions.
    func matches(transaction: String) throws -> [MatchRow] {
        let conn = try f.postgres()
        defer { conn.close() }
        let r = try conn.query("""
            SELECT m.conversion_id, m.touchpoint_id, m.method, m.score, t.kind, t.click_id, t.envelope_id
            FROM matches m JOIN conversions c ON c.id = m.conversion_id JOIN touchpoints t ON t.id = m.touchpoint_id
            WHERE c.transaction_id = $1 ORDER BY m.conversion_id
            """, [.string(transaction)])
        return try r.indices.map { i in
            MatchRow(conversionID: try r.int(i, "conversion_id") ?? 0, touchpointID: try r.int(i, "touchpoint_id") ?? 0,
                     method: try r.string(i, "method") ?? "", score: try r.double(i, "score") ?? -1,
                     touchpointKind: try r.string(i, "kind") ?? "", touchpointClickID: try r.string(i, "click_id"),
                     touchpointEnvelopeID: try r.string(i, "envelope_id") ?? "")
        }
    }

    struct InboxRow: Sendable, CustomStringConvertible {
        let envelopeID: String
        let gateway: String
        let account: String
        let tenant: String?
        let processed: Bool
        let outcome: String?
        let bodySealed: String
        var description: String { "inbox \(envelopeID) \(gateway)/\(account) processed=\(processed) outcome=\(outcome ?? "-")" }
    }

    func inbox(envelopeID: String) throws -> InboxRow? {
        let conn = try f.postgres()
        defer { conn.close() }
        let r = try conn.query("""
            SELECT envelope_id, gateway, account, tenant_id, processed_at IS NOT NULL AS processed, outcome, body_sealed
            FROM webhook_inbox WHERE envelope_id = $1
            """, [.string(envelopeID)])
        guard !r.isEmpty else { return nil }
        return InboxRow(envelopeID: try r.string(0, "envelope_id") ?? "", gateway: try r.string(0, "gateway") ?? "",
                        account: try r.string(0, "account") ?? "", tenant: try r.string(0, "tenant_id"),
                        processed: try r.bool(0, "processed") ?? false, outcome: try r.string(0, "outcome"),
                        bodySealed: try r.string(0, "body_sealed") ?? "")
    }

    /// Waits until dispatchd parsed every one of these webhooks (`processed_at` set).
    func waitProcessed(_ envelopeIDs: [String], timeout: Duration = .seconds(20)) async throws {
        try await f.eventually("\(envelopeIDs.count) webhook(s) processed", timeout: timeout, describe: {
            try envelopeIDs.map { try self.inbox(envelopeID: $0)?.description ?? "\($0): not in the inbox" }.joined(separator: "; ")
        }) {
            try envelopeIDs.allSatisfy { try inbox(envelopeID: $0)?.processed == true }
        }
    }

    /// Ledger outcomes of one event id, in order.
    func ledgerOutcomes(eventID: String) throws -> [String] {
        try f.ledger(eventID: eventID).map(\.outcome)
    }

    /// `conversion_id` of the ledger rows of one event id.
    func ledgerConversionIDs(eventID: String) throws -> [Int?] {
        let conn = try f.postgres()
        defer { conn.close() }
        let r = try conn.query("SELECT conversion_id FROM dispatch_attempts WHERE event_id = $1 AND outcome <> 'in_flight' ORDER BY id", [.string(eventID)])
        return try r.indices.map { try r.int($0, "conversion_id") }
    }

    // MARK: - Meta side

    /// The events the fake accepted with this id (any pixel).
    func accepted(eventID: String) -> [FakeMetaAcceptedEvent] {
        f.meta.acceptedEvents().filter { $0.eventID == eventID }
    }
}

/// Runs `body` with a dispatch fixture configured for sales: the sales configuration is applied
/// before any worker starts (so workers load it with their first configuration), then
/// `options.workers` workers start unless `startWorkers` is false (start them with
/// `s.f.startWorker`).
func withSalesFixture<T>(_ name: String, options: DispatchFixture.Options = .init(), startWorkers: Bool = true,
                         _ body: (SalesFixture) async throws -> T) async throws -> T {
    var fixtureOptions = options
    fixtureOptions.workers = 0
    let mercadoPago = try await FakeMercadoPagoServer.start(token: SalesFixture.mercadoPagoToken.value)
    fixtureOptions.workerEnv["TRACKHUB_MERCADOPAGO_BASE_URL"] = mercadoPago.baseURL
    do {
        let result = try await withDispatchFixture(name, options: fixtureOptions) { f in
            let s = SalesFixture(f, mercadoPago: mercadoPago)
            try await s.applySalesConfig()
            if startWorkers {
                for i in 1...max(1, options.workers) { try await f.startWorker("w\(i)") }
            }
            return try await body(s)
        }
        await mercadoPago.stop()
        return result
    } catch {
        await mercadoPago.stop()
        throw error
    }
}

/// Expected values on the Meta side.
enum SalesExpect {
    static func sha256(_ s: String) -> String { DispatchTestData.sha256(s) }

    /// The hashed values of a user_data field (`em`, `ph`, …) as a list (Meta accepts a string
    /// or a list).
    static func hashes(_ event: FakeMetaAcceptedEvent, _ field: String) -> [String] {
        guard let value = event["user_data"]?[field] else { return [] }
        if let s = value.stringValue { return [s] }
        return (value.arrayValue ?? []).compactMap(\.stringValue)
    }
}
