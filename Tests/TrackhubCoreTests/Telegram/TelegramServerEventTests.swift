import Foundation
import Logging
import Synchronization
import Testing
@testable import TrackhubCore

/// Issue 19 item 3: a bot reports a lead or a checkout by Telegram user id (`/s2s` with
/// `telegram_user_id`); the event takes the click of that user's `/start` — its IP, user agent,
/// fbc and fbp — never the bot server's, and carries the user's hashed `external_id`.
@Suite("bot events by Telegram user")
struct TelegramServerEventTests {
    static let userHash = TelegramUserIdentity.externalID(userID: 6_100_000_001)
    static let now = Date()

    static func botEvent(_ id: String, tenant: String = "t1", clickID: String? = nil, pageURL: String? = nil,
                         receivedAt: Date = now) -> Envelope {
        Envelope(id: id, kind: .track, receivedAt: Int64(receivedAt.timeIntervalSince1970 * 1000), tenant: tenant,
                 track: .init(event: "lead", clickId: clickID, eventId: "ev-\(id)", pageUrl: pageURL, reporter: .server,
                              telegramUser: userHash))
    }

    static func batch(_ envelopes: [Envelope]) -> DecodedBatch {
        var b = DecodedBatch()
        b.envelopes = envelopes
        return b
    }

    @Test("the user's /start click is lent within the attribution window; an older one, another tenant's, or an event's own click id are left alone")
    func lending() {
        let recent = ClickID.generate(now: Self.now.addingTimeInterval(-3_600))
        let old = ClickID.generate(now: Self.now.addingTimeInterval(-8 * 86_400))
        let own = ClickID.generate(now: Self.now)
        var b = Self.batch([Self.botEvent("a"), Self.botEvent("b", tenant: "t2"), Self.botEvent("c", clickID: own), Self.botEvent("d", tenant: "t3")])
        #expect(b.telegramUsers == [TelegramUserKey(tenant: "t1", userHash: Self.userHash), TelegramUserKey(tenant: "t2", userHash: Self.userHash),
                                    TelegramUserKey(tenant: "t3", userHash: Self.userHash)], "an event with its own click id needs no look-up")
        b.lendTelegramClicks([TelegramUserKey(tenant: "t1", userHash: Self.userHash): recent,
                              TelegramUserKey(tenant: "t3", userHash: Self.userHash): old], window: 7 * 86_400)
        #expect(b.envelopes.map { $0.track?.clickId } == [recent, nil, own, nil])
    }

    let storage = InMemoryDispatchStorage()

    func pipeline(_ meta: InMemoryCAPITransport) -> DispatchPipeline {
        let logger = Logger(label: "test")
        return DispatchPipeline(interpreter: EnvelopeInterpreter(keys: KeyRing(keys: [("k1", Array(repeating: 7, count: 32))])),
                                sender: EventSender(transport: meta, gate: InMemoryPixelGate(), journal: storage, logger: logger),
                                recorder: OutcomeRecorder(storage: storage, queue: InMemoryRetryQueue(), logger: logger),
                                storage: storage, logger: logger)
    }

    let config = DispatchConfig(
        pixels: ["p1": DispatchConfig.Pixel(id: "p1", tenant: "t1", accessToken: "TOKEN", mode: .live, batchSize: 500)],
        tenants: ["t1": DispatchConfig.Tenant(id: "t1", defaultPixel: "p1")])

    @Test("click, then a bot's lead by Telegram user: Meta gets the click's IP/UA/fbc/fbp, the user's external_id and action_source chat; the touchpoint names the click")
    func leadTakesTheStartClick() async throws {
        let meta = InMemoryCAPITransport()
        let clickID = ClickID.generate(now: Self.now.addingTimeInterval(-600))
        let click = Envelope(id: "env-click", kind: .click, receivedAt: Int64(Self.now.addingTimeInterval(-600).timeIntervalSince1970 * 1000),
                             tenant: "t1",
                             click: .init(slug: "bot", pixel: nil, clickId: clickID, ip: "177.20.30.4", userAgent: "Mozilla/5.0 (Android 14) phone",
                                          referrer: nil, utm: [:], fbclid: "IwAR-tg", gclid: nil, ttclid: nil,
                                          fbc: "fb.1.1790000000000.IwAR-tg", fbp: "fb.1.1596403881668.1116446470",
                                          destination: "https://t.me/demo_bot?start=\(clickID)"))
        try await pipeline(meta).process([StreamEntry(stream: "th:ingest:normal", id: "1-1", payload: try click.encoded())], config: config)
        storage.state.withLock { $0.telegramUsers[TelegramUserKey(tenant: "t1", userHash: Self.userHash)] = clickID }

        let lead = Self.botEvent("lead")
        try await pipeline(meta).process([StreamEntry(stream: "th:ingest:normal", id: "1-2", payload: try lead.encoded())], config: config)
        #expect(meta.acceptedEventIDs.filter { $0 == "ev-lead" }.count == 1)
        let sent = try sentEvent("ev-lead")
        #expect(Self.text(sent["event_name"]) == "Lead")
        #expect(Self.text(sent["action_source"]) == "chat", "the person is in the chat, not on the click's landing page")
        #expect(sent["event_source_url"] == nil)
        #expect(Self.text(sent["user_data", "client_ip_address"]) == "177.20.30.4")
        #expect(Self.text(sent["user_data", "client_user_agent"]) == "Mozilla/5.0 (Android 14) phone")
        #expect(Self.text(sent["user_data", "fbc"]) == "fb.1.1790000000000.IwAR-tg")
        #expect(Self.text(sent["user_data", "fbp"]) == "fb.1.1596403881668.1116446470")
        #expect(sent["user_data", "external_id"]?.stringElements == [Self.userHash])
        #expect(storage.state.withLock { $0.touchpoints["lead"]?.clickID } == clickID)
    }

    @Test("a user with no known /start: sent with the external_id only (no IP or user agent borrowed from anywhere), action_source chat; a page_url makes it a website event")
    func unknownUser() async throws {
        let meta = InMemoryCAPITransport()
        let withPage = Envelope(id: "page", kind: .track, receivedAt: Int64(Self.now.timeIntervalSince1970 * 1000), tenant: "t1",
                                track: .init(event: "lead", eventId: "ev-page", pageUrl: "https://lp.example.com/obrigado",
                                             userAgent: "Mozilla/5.0 (iPhone) buyer", reporter: .server, telegramUser: Self.userHash))
        try await pipeline(meta).process([try Self.entry(Self.botEvent("alone"), 1), try Self.entry(withPage, 2)], config: config)
        #expect(Set(meta.acceptedEventIDs) == ["ev-alone", "ev-page"])
        let alone = try sentEvent("ev-alone")
        #expect(Self.text(alone["action_source"]) == "chat")
        #expect(alone["user_data", "client_ip_address"] == nil && alone["user_data", "client_user_agent"] == nil)
        #expect(alone["user_data", "external_id"]?.stringElements == [Self.userHash])
        let page = try sentEvent("ev-page")
        #expect(Self.text(page["action_source"]) == "website")
        #expect(Self.text(page["event_source_url"]) == "https://lp.example.com/obrigado")
    }

    /// The event as the ledger recorded it sent (the JSON that went to Meta).
    func sentEvent(_ eventID: String) throws -> JSONValue {
        let row = try #require(storage.ledger(outcome: .sent).first { $0.eventID == eventID })
        return try #require(JSONValue.parse(row.payload ?? ""))
    }

    static func text(_ value: JSONValue?) -> String? {
        if case .string(let s)? = value { s } else { nil }
    }

    static func entry(_ e: Envelope, _ i: Int) throws -> StreamEntry {
        StreamEntry(stream: "th:ingest:normal", id: "2-\(i)", payload: try e.encoded())
    }
}
