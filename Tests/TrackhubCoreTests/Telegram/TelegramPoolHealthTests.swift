import Foundation
import Testing
@testable import TrackhubCore

@Suite("pool health: the document ingestd and the alerts read, and who is in the pools")
struct TelegramPoolHealthTests {
    let t0 = Date(timeIntervalSince1970: 1_796_234_400)

    @Test("JSON round trip keeps every field; deadBots lists only the dead")
    func roundTrip() throws {
        let health = TelegramPoolHealth(checkedAt: t0, bots: [
            "acme_bot": TelegramBotHealth(bot: "acme_bot", tenant: "acme", status: .dead, since: t0.addingTimeInterval(-60), consecutiveFailures: 1,
                                          reason: "unauthorized", checkedAt: t0),
            "acme2_bot": TelegramBotHealth(bot: "acme2_bot", tenant: "acme", status: .live, since: t0.addingTimeInterval(-600),
                                           webhookProblem: "no webhook set", checkedAt: t0),
            "loose_bot": TelegramBotHealth(bot: "loose_bot", tenant: nil, status: .unknown, since: t0, reason: "no_token", checkedAt: t0),
        ])
        let read = try #require(TelegramPoolHealth(json: health.json()))
        #expect(read == health)
        #expect(read.deadBots == ["acme_bot"])
        #expect(TelegramPoolHealth(json: Array("{}".utf8)) == nil && TelegramPoolHealth(json: Array("not json".utf8)) == nil)
    }

    @Test("members: every bot of every active Telegram link once, with its own tenant's account token and webhook_url")
    func members() {
        var config = DispatchConfig(pixels: [:], tenants: [:])
        config.links["a-bot"] = .init(slug: "a-bot", tenant: "acme", pixel: nil, active: true, destination: .telegram(bots: [
            WeightedBot(username: "acme_bot", weight: 3), WeightedBot(username: "acme2_bot", weight: 0)]))
        config.links["b-bot"] = .init(slug: "b-bot", tenant: "acme", pixel: nil, active: true,
                                      destination: .telegram(bots: [WeightedBot(username: "acme_bot")], fallbackURL: "https://wa.me/5511999999999"))
        config.links["old"] = .init(slug: "old", tenant: "acme", pixel: nil, active: false, destination: .telegram(bots: [WeightedBot(username: "old_bot")]))
        config.links["page"] = .init(slug: "page", tenant: "acme", pixel: nil, active: true, destination: .utm(url: "https://a.example/"))
        config.links["z-other"] = .init(slug: "z-other", tenant: "other", pixel: nil, active: true, destination: .telegram(bots: [WeightedBot(username: "other_bot")]))
        let token = "7300000001:AAE-revoked-or-not_0123456789abcdef"
        config.gatewayAccounts["telegram/acme_bot"] = .init(gateway: .telegram, account: "acme_bot", tenant: "acme", pixel: nil,
                                                            settings: ["webhook_url": .string("https://t.example/webhooks/telegram/acme_bot")], apiToken: token)
        // Another tenant's account with the same name as a bot of this pool is not its token.
        config.gatewayAccounts["telegram/other_bot"] = .init(gateway: .telegram, account: "other_bot", tenant: "acme", pixel: nil, apiToken: token)
        let members = TelegramPoolMember.members(of: config)
        #expect(members.map(\.bot) == ["acme2_bot", "acme_bot", "other_bot"])
        #expect(members[1] == TelegramPoolMember(bot: "acme_bot", tenant: "acme", token: TelegramBotToken(token),
                                                 webhookURL: "https://t.example/webhooks/telegram/acme_bot"))
        #expect(members[0].token == nil && members[2].token == nil && members[2].tenant == "other")
        #expect(!"\(members)".contains(token), "a member never prints its token")
    }
}
