import Foundation
import Testing
@testable import TrackhubCore

@Suite("bot /start decisions: event with the click's identity, hold for a late click, or recorded and not sent")
struct TelegramStartDecisionTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let decision = TelegramStartDecision(validator: CAPIEventValidator(), lateClickHold: .seconds(600), attributionWindow: 7 * 86_400)
    let pixel = DispatchConfig.Pixel(id: "p1", tenant: "t1", accessToken: "T", mode: .live)
    /// A click id minted one minute before the /start.
    var clickID: String {
        var rng = SystemRandomNumberGenerator()
        return ClickID.generate(now: now.addingTimeInterval(-90), using: &rng)
    }

    func account(settings: [String: ConfigValue] = [:]) -> DispatchConfig.GatewayAccount {
        DispatchConfig.GatewayAccount(gateway: .telegram, account: "acme_bot", tenant: "t1", pixel: "p1", settings: settings)
    }

    func start(_ payload: String?, updateID: Int64 = 900001, date: Int64? = 1_789_999_970) -> TelegramStartUpdate {
        TelegramStartUpdate(updateID: updateID, userID: 5550001234, date: date, payload: payload)
    }

    func click(_ id: String, tenant: String = "t1") -> ClickContext {
        ClickContext(clickID: id, fbc: "fb.1.1789999900000.IwAR-x", fbp: "fb.1.1789999900000.123", ip: "177.20.30.40",
                     userAgent: "Mozilla/5.0 (Linux; Android 14)", occurredAt: now.addingTimeInterval(-90), touchpointID: 41,
                     pageURL: "https://t.me/acme_bot?start=\(id)", tenant: tenant)
    }

    func decide(_ s: TelegramStartUpdate, account: DispatchConfig.GatewayAccount?? = nil, pixel: DispatchConfig.Pixel?? = nil,
                clicks: [String: [ClickContext]] = [:]) -> TelegramStartDecision.Outcome {
        decision.decide(s, envelopeID: "env-1", receivedAt: now, account: account ?? self.account(), pixel: pixel ?? self.pixel,
                        clicks: clicks, now: now)
    }

    @Test("the click is stored: ViewContent, chat, the click's fbc/fbp/IP/UA, hashed external_id, event id from bot + update")
    func matched() {
        let id = clickID
        guard case .send(let e, let link) = decide(start(id), clicks: [id: [click(id)]]) else { Issue.record("not sent"); return }
        #expect(e.eventName == "ViewContent" && e.eventID == "telegram.acme_bot.900001" && e.pixel == "p1" && e.hold == nil)
        #expect(e.event.actionSource == .chat && e.event.eventSourceUrl == nil && e.event.eventTime == 1_789_999_970)
        let user = e.event.userData
        #expect(user.fbc == "fb.1.1789999900000.IwAR-x" && user.fbp == "fb.1.1789999900000.123")
        #expect(user.clientIpAddress == "177.20.30.40" && user.clientUserAgent == "Mozilla/5.0 (Linux; Android 14)")
        #expect(user.hashed.externalId == [TelegramUserIdentity.externalID(userID: 5550001234)])
        #expect(link == TelegramBotUserLink(tenant: "t1", bot: "acme_bot", userHash: TelegramUserIdentity.externalID(userID: 5550001234),
                                            clickID: id, touchpointID: 41, envelopeID: "env-1",
                                            startedAt: Date(timeIntervalSince1970: 1_789_999_970)))
    }

    @Test("a bot configured with event: Lead sends Lead; a redelivery (same update) has the same event id")
    func leadAndRedelivery() {
        let id = clickID
        let lead = account(settings: ["event": .string("Lead")])
        guard case .send(let first, _) = decide(start(id), account: lead, clicks: [id: [click(id)]]),
              case .send(let again, _) = decision.decide(start(id), envelopeID: "env-2", receivedAt: now.addingTimeInterval(30),
                                                         account: lead, pixel: pixel, clicks: [id: [click(id)]], now: now.addingTimeInterval(30))
        else { Issue.record("not sent"); return }
        #expect(first.eventName == "Lead" && again.key == first.key && again.envelopeID == "env-2")
    }

    @Test("no payload, a payload that is not a click id, another tenant's click, an unknown old id: recorded, not sent")
    func ignored() {
        let id = clickID
        #expect(decide(start(nil)) == .ignored(reason: "/start without a click id"))
        #expect(decide(start("promo_black_friday")) == .ignored(reason: "/start payload is not a click id"))
        #expect(decide(start(id.uppercased())) == .ignored(reason: "/start payload is not a click id"))
        #expect(decide(start(id), clicks: [id: [click(id, tenant: "t2")]]) == .ignored(reason: "/start click belongs to another tenant"))
        var rng = SystemRandomNumberGenerator()
        let old = ClickID.generate(now: now.addingTimeInterval(-8 * 86_400), using: &rng)
        #expect(decide(start(old)) == .ignored(reason: "/start click not found"))
        #expect(decide(start(id), account: .some(nil)) == .ignored(reason: "/start for a bot that is not configured"))
        #expect(decide(start(id, date: 1_789_000_000)) == .ignored(reason: "/start older than Meta's 7-day window"))
    }

    @Test("no pixel for the bot's tenant: dead-lettered")
    func noPixel() {
        guard case .noPixel(let letter) = decide(start(clickID), pixel: .some(nil)) else { Issue.record("not dead-lettered"); return }
        #expect(letter.reason == .noPixel && letter.envelopeID == "env-1")
    }

    @Test("a recent click id not stored yet: held with a bot-start hold, built without click fields")
    func held() {
        let id = clickID
        guard case .held(let e) = decide(start(id)) else { Issue.record("not held"); return }
        #expect(e.hold == LateClickHold(tenant: "t1", clickIDs: [id], deadlineMs: 1_790_000_600_000, sinceMs: 1_790_000_000_000,
                                        botStart: .init(bot: "acme_bot", userHash: TelegramUserIdentity.externalID(userID: 5550001234),
                                                        startedAtMs: 1_789_999_970_000)))
        #expect(e.event.userData.fbc == nil && e.event.userData.clientIpAddress == nil && e.event.actionSource == .chat)
        let noHold = TelegramStartDecision(validator: CAPIEventValidator(), lateClickHold: .zero, attributionWindow: 7 * 86_400)
        #expect(noHold.decide(start(id), envelopeID: "env-1", receivedAt: now, account: account(), pixel: pixel, clicks: [:], now: now)
            == .ignored(reason: "/start click not found"))
    }

    @Test("recheck of a held /start: the click lends its fields and chat stays; missing at the deadline or another tenant's: dropped")
    func recheck() {
        let id = clickID
        guard case .held(let e) = decide(start(id)) else { Issue.record("not held"); return }
        let recheck = LateClickRecheck(validator: CAPIEventValidator(), recheck: .seconds(5))
        guard case .matched(let released, let c) = recheck.decide(e, clicks: [id: [click(id)]], now: now) else { Issue.record("no match"); return }
        #expect(c.touchpointID == 41 && released.hold == nil && released.event.actionSource == .chat && released.event.eventSourceUrl == nil)
        #expect(released.event.userData.fbc == "fb.1.1789999900000.IwAR-x" && released.event.userData.clientIpAddress == "177.20.30.40")
        #expect(recheck.decide(e, clicks: [:], now: now) == .wait(e, dueMs: 1_790_000_005_000))
        var unheld = e
        unheld.hold = nil
        #expect(recheck.decide(e, clicks: [:], now: now.addingTimeInterval(601))
            == .dropped(unheld, reason: "click did not arrive before the hold deadline"))
        #expect(recheck.decide(e, clicks: [id: [click(id, tenant: "t2")]], now: now) == .dropped(unheld, reason: "click belongs to another tenant"))
    }

    @Test("a hold written before bot starts existed decodes as a sale's hold")
    func holdDecodesWithoutBotStart() throws {
        let json = #"{"tenant":"t1","clickIDs":["a"],"deadlineMs":5,"sinceMs":1}"#
        let hold = try JSONDecoder().decode(LateClickHold.self, from: Data(json.utf8))
        #expect(hold.botStart == nil && hold.clickIDs == ["a"])
    }
}
