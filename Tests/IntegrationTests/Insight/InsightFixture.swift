import Foundation
import Logging
import ServiceLifecycle
import Testing
import TrackhubCore

/// A migrated scratch database with two tenants (`shop` with pixel 111, `other` with pixel
/// 222), a running ``PostgresPool`` and a ``PostgresInsightStore`` over the real Redis under a
/// key prefix of its own; seeds go through the stores the dispatch writes with
/// (``DispatchStore``, ``SalesStore``).
struct InsightFixture {
    let store: PostgresInsightStore
    let pg: PostgresConnection
    let layout: StreamLayout
    let databaseURL: String

    static let shop = "shop"
    static let other = "other"
    static let shopPixel = "111"
    static let otherPixel = "222"

    static var available: Bool { TestEnvironment.redisURL != nil && TestEnvironment.databaseURL != nil }

    static func with(_ body: (InsightFixture) async throws -> Void) async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let pg = try PostgresConnection(url, applicationName: "trackhub-tests")
            defer { pg.close() }
            try Migrator().migrate(pg)
            try pg.execute("""
                INSERT INTO tenants (id, name) VALUES ('shop', 'Shop'), ('other', 'Other');
                INSERT INTO pixels (id, tenant_id, mode, is_default, access_token_ciphertext, access_token_key_id)
                VALUES ('111', 'shop', 'live', true, 'v1.k1.U0VBTEVEVE9LRU5TSE9Q', 'k1'), ('222', 'other', 'live', true, NULL, NULL);
                INSERT INTO gateway_accounts (gateway, account, tenant_id, secrets, settings)
                VALUES ('hotmart', 'main', 'shop', '["v1.k1.U0VBTEVEU0VDUkVU"]', '{"approved_event": "Purchase"}');
                """)
            let logger = Logger(label: "insight-test")
            let pool = PostgresPool(conninfo: url, size: 1, applicationName: "insight-test", logger: logger)
            let layout = StreamLayout(prefix: TestEnvironment.uniquePrefix("insight"))
            let fixture = InsightFixture(store: PostgresInsightStore(postgres: pool, redis: TestEnvironment.redisEndpoint, layout: layout),
                                         pg: pg, layout: layout, databaseURL: url)
            try await ServiceGroup.withRunning([pool], logger: logger) { try await body(fixture) }
        }
    }

    /// Runs `dispatchd ARGUMENTS` against this database, Redis and key prefix.
    func dispatchd(_ arguments: [String], in dir: String) async throws -> CommandResult {
        try await CommandResult.run(binary: "dispatchd", arguments: arguments, environment: [
            "TRACKHUB_DATABASE_URL": databaseURL, "TRACKHUB_REDIS_URL": TestEnvironment.redisURL ?? "",
            "TRACKHUB_STREAM_PREFIX": layout.prefix, "TRACKHUB_LOG_LEVEL": "info",
        ], in: dir, timeout: .seconds(60))
    }

    // MARK: Seeding through the dispatch's stores

    func click(_ clickID: String, tenant: String = shop, at: Date = Date(), utmJSON: String? = nil, linkSlug: String? = nil) throws {
        try DispatchStore().insertTouchpoints(
            [TouchpointRow(envelopeID: "env-\(clickID)", tenant: tenant, kind: "click", clickID: clickID, utmJSON: utmJSON,
                           occurredAt: at, linkSlug: linkSlug)],
            connection: pg)
    }

    /// A lead whose e-mail the dispatch hashed (the first hash, as the interpreter stores it).
    func lead(envelope: String, email: String, tenant: String = shop) throws {
        let hashed = UserDataNormalizer().normalize(RawUserData(email: email))
        try DispatchStore().insertTouchpoints(
            [TouchpointRow(envelopeID: envelope, tenant: tenant, kind: "lead", emailHash: hashed.em.first, occurredAt: Date())],
            connection: pg)
    }

    /// A sale stored as the sales path stores it; returns its conversion id.
    @discardableResult
    func sale(_ transactionID: String, tenant: String = shop, email: String? = nil, phone: String? = nil,
              tracking: TrackingParameters = TrackingParameters(), at: Date = Date()) throws -> Int64 {
        let c = Conversion(gateway: .hotmart, account: "main", transactionID: transactionID, status: .approved,
                           rawEventType: "PURCHASE_APPROVED", value: Decimal(string: "197.90")!, currency: "BRL",
                           buyer: RawUserData(email: email, phone: phone), productIDs: ["P-77"], tracking: tracking, occurredAt: at)
        let hashed = UserDataNormalizer().normalize(c.buyer)
        let ids = try SalesStore().upsertConversions(
            [SalesStore.ConversionRow(conversion: c, tenant: tenant, buyerHashedJSON: SalesStore.buyerJSON(hashed),
                                      envelopeID: "env-\(transactionID)")], connection: pg)
        return try #require(ids.first)
    }

    func match(conversion: Int64, clickID: String, method: String = "click_id") throws {
        let r = try pg.query("SELECT id FROM touchpoints WHERE click_id = $1", [.string(clickID)])
        let touchpoint = Int64(try #require(try r.int(0, "id")))
        try SalesStore().insertMatches([SalesStore.MatchRow(conversionID: conversion, touchpointID: touchpoint, method: method, score: 1)],
                                       connection: pg)
    }

    /// An outbound event like the dispatch builds (event time `eventTime`).
    static func event(_ name: CAPIEventName, id: String, pixel: String = shopPixel, envelope: String, conversion: Int64? = nil,
                      eventTime: Date = Date()) -> OutboundEvent {
        OutboundEvent(pixel: pixel, envelopeID: envelope, conversionID: conversion,
                      event: CAPIEvent(eventName: name, eventDate: eventTime, eventId: id, actionSource: .website,
                                       eventSourceUrl: "https://lp.shop.example/", userData: CAPIUserData(fbp: "fb.1.1795000000000.1"),
                                       customData: CAPICustomData(value: 197.9, currency: "BRL")))
    }

    func ledger(_ entries: [LedgerEntry]) throws { try DispatchStore().appendLedger(entries, connection: pg) }

    /// Dead-letters `event` the way the sender does (a ledger row and the dead letter).
    func deadLetter(_ event: OutboundEvent, reason: DeadLetterReason, detail: String, attempt: Int = 1) throws {
        var result = SendResult()
        result.deadLetter(event, reason: reason, detail: detail, attempt: attempt)
        try DispatchStore().appendLedger(result.ledger, connection: pg)
        try DispatchStore().insertDeadLetters(result.deadLetters, connection: pg)
    }

    /// A stored webhook (the inbox row as `insertWebhooks` writes it; the body is opaque here)
    /// marked with the outcome the sales path records.
    func inbox(envelope: String, gateway: String, tenant: String, outcome: String) throws {
        try pg.query("""
            INSERT INTO webhook_inbox (envelope_id, gateway, account, tenant_id, received_at, body_sealed)
            VALUES ($1, $2, 'main', $3, now(), 'v1.k1.c2VhbGVk')
            """, [.string(envelope), .string(gateway), .string(tenant)])
        try SalesStore().markInboxes([(envelopeID: envelope, outcome: outcome)], connection: pg)
    }
}
