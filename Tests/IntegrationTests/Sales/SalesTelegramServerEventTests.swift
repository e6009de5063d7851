import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Issue 19 item 3 end to end: after a `/start <click id>`, the seller's bot reports a lead for
/// that Telegram user on `/s2s` with an ingest key and only the user's id — from its own server.
/// Meta gets the click's IP, user agent, fbc and fbp, the user's hashed `external_id` (the same as
/// the `/start`'s ViewContent) and `action_source: chat`; nothing of the bot's server.
extension SalesEndToEndTests.TelegramStart {
    @Test("click → /start → the bot's lead by telegram_user_id on /s2s: the click's IP/UA/fbc/fbp, the user's external_id, chat; the lead's touchpoint names the click")
    func botLeadByTelegramUser() async throws {
        try await withSalesFixture("tgs2s") { s in
            let f = s.f
            let (clickID, ip, clickPageView) = try await Self.deliveredBotClick(s)
            let key = try await f.liveIngestKey(tenant: SalesFixture.tenant)
            try await Self.withBot(s) { telegram in
                let userID: Int64 = 6_500_000_000 + Int64.random(in: 1...999_999)
                let update = telegram.startUpdate(bot: SalesFixture.bot.username, userID: userID, payload: clickID)
                let updateID = try #require(update["update_id"]?.intValue)
                #expect(try await telegram.push(bot: SalesFixture.bot.username, update: update) == 200)
                try await f.waitDelivered([Self.eventID(updateID)], pixel: SalesFixture.pixel)
                let viewContent = try #require(f.meta.acceptedEvents().first { $0.eventID == Self.eventID(updateID) })

                // The bot's backend reports a lead for the user (the id as Telegram gives it: a JSON number).
                let leadID = DispatchTestData.unique("tg-lead")
                let lead = try await f.s2s("lead", ["telegram_user_id": userID, "event_id": leadID], key: key)
                #expect(lead.status == 202, "\(lead.text)")
                try await f.waitDelivered([leadID], pixel: SalesFixture.pixel)
                let sent = try #require(f.meta.acceptedEvents().first { $0.eventID == leadID })
                #expect(sent.eventName == "Lead")
                #expect(sent.actionSource == "chat")
                #expect(sent["user_data"]?["client_ip_address"]?.stringValue == ip, "the click's address, not the bot server's")
                #expect(sent["user_data"]?["client_user_agent"]?.stringValue == SalesFixture.clickUserAgent)
                #expect(sent["user_data"]?["fbc"]?.stringValue == clickPageView["user_data"]?["fbc"]?.stringValue)
                #expect(sent["user_data"]?["fbp"]?.stringValue == clickPageView["user_data"]?["fbp"]?.stringValue)
                let externalID = sent["user_data"]?["external_id"]?.arrayValue?.compactMap(\.stringValue)
                #expect(externalID == [TelegramUserIdentity.externalID(userID: userID)])
                #expect(externalID == viewContent["user_data"]?["external_id"]?.arrayValue?.compactMap(\.stringValue), "one person at Meta")
                for e in f.meta.acceptedEvents() {
                    #expect(e["user_data"]?["client_ip_address"]?.stringValue != DispatchFixture.serverIP)
                    #expect(e["user_data"]?["client_user_agent"]?.stringValue != DispatchFixture.serverUA)
                }

                // A user the bot never saw start: still sent, with only their external_id.
                let strangerID = DispatchTestData.unique("tg-stranger")
                #expect(try await f.s2s("lead", ["telegram_user_id": "6999999999", "event_id": strangerID], key: key).status == 202)
                try await f.waitDelivered([strangerID], pixel: SalesFixture.pixel)
                let stranger = try #require(f.meta.acceptedEvents().first { $0.eventID == strangerID })
                #expect(stranger["user_data"]?["client_ip_address"] == nil && stranger["user_data"]?["fbc"] == nil)

                let conn = try f.postgres()
                defer { conn.close() }
                let row = try conn.query("SELECT t.click_id FROM touchpoints t JOIN dispatch_attempts a ON a.envelope_id = t.envelope_id WHERE a.event_id = $1 LIMIT 1",
                                         [.string(leadID)])
                #expect(try row.string(0, "click_id") == clickID, "the lead's touchpoint is tied to the click (attribution, funnel)")
                print("[telegram s2s] lead=\(leadID) ip=\(sent["user_data"]?["client_ip_address"]?.stringValue ?? "-") source=\(sent.actionSource) stranger_ip=\(stranger["user_data"]?["client_ip_address"]?.stringValue ?? "none")")
            }
        }
    }
}
