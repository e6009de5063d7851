import Testing
@testable import TrackhubCore

@Suite("/go bot pick: dead bots leave the rotation, none live → the fallback, no fallback → every bot")
struct TelegramBotPickTests {
    let bots = [WeightedBot(username: "first_bot", weight: 1), WeightedBot(username: "second_bot", weight: 3),
                WeightedBot(username: "paused_bot", weight: 0)]

    func counts(dead: Set<String>, hasFallback: Bool, seed: UInt64 = 7) -> [String: Int] {
        var rng = EdgeTestRNG(seed: seed)
        var out: [String: Int] = [:]
        for _ in 0..<4000 {
            switch TelegramBotPick.choose(bots, dead: dead, hasFallback: hasFallback, using: &rng) {
            case .bot(let b): out[b.username, default: 0] += 1
            case .fallback: out["<fallback>", default: 0] += 1
            case .invalid: out["<invalid>", default: 0] += 1
            }
        }
        return out
    }

    @Test("nothing dead: the configured weights (1:3, weight 0 never)")
    func nothingDead() {
        let c = counts(dead: [], hasFallback: true)
        #expect(c["paused_bot"] == nil && c["<fallback>"] == nil)
        #expect((800...1200).contains(c["first_bot", default: 0]) && (2800...3200).contains(c["second_bot", default: 0]))
    }

    @Test("a dead bot gets no click; the live ones share all of them")
    func deadSkipped() {
        #expect(counts(dead: ["second_bot"], hasFallback: false) == ["first_bot": 4000])
        #expect(counts(dead: ["first_bot", "unknown_bot"], hasFallback: true) == ["second_bot": 4000])
    }

    @Test("every bot with weight dead: the fallback when configured")
    func fallback() {
        #expect(counts(dead: ["first_bot", "second_bot"], hasFallback: true) == ["<fallback>": 4000])
    }

    @Test("every bot dead and no fallback: the configured rotation, health ignored (never a dead end of ours)")
    func noFallback() {
        let c = counts(dead: ["first_bot", "second_bot"], hasFallback: false)
        #expect(c["<fallback>"] == nil && c["paused_bot"] == nil && c["first_bot", default: 0] + c["second_bot", default: 0] == 4000)
    }

    @Test("an invalid pool stays invalid whatever the health")
    func invalid() {
        var rng = EdgeTestRNG(seed: 1)
        #expect(TelegramBotPick.choose([], dead: [], hasFallback: true, using: &rng) == .invalid)
        #expect(TelegramBotPick.choose([WeightedBot(username: "x", weight: 1)], dead: [], hasFallback: true, using: &rng) == .invalid)
        #expect(TelegramBotPick.choose([WeightedBot(username: "acme_bot", weight: 0)], dead: [], hasFallback: true, using: &rng) == .invalid)
    }

    @Test("the redirect: a live bot's deep link, or the fallback URL with the campaign's utm_* and no click id")
    func redirect() {
        var rng = EdgeTestRNG(seed: 3)
        let destination = LinkDestination.telegram(bots: [WeightedBot(username: "acme_bot"), WeightedBot(username: "acme2_bot")],
                                                   fallbackURL: "https://wa.me/5511999999999?text=oi")
        let params = QueryString.parse("utm_source=fb&utm_campaign=natal&fbclid=x")
        #expect(DestinationURLBuilder.build(destination: destination, clickID: "CID1", requestParameters: params, deadBots: ["acme_bot"], using: &rng)
            == "https://t.me/acme2_bot?start=CID1")
        #expect(DestinationURLBuilder.build(destination: destination, clickID: "CID1", requestParameters: params,
                                            deadBots: ["acme_bot", "acme2_bot"], using: &rng)
            == "https://wa.me/5511999999999?text=oi&utm_source=fb&utm_campaign=natal")
    }
}
