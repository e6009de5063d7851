import Foundation
import Testing
@testable import TrackhubConsole
import TrackhubCore

@Suite("Insight pages: scope, fix links, the live event")
struct InsightPagesUnitTests {
    @Test("an owner's scope is everything; others see their tenants")
    func scope() {
        let owner = ConsoleUser(id: 1, login: "o", displayName: "", role: .owner, allTenants: false, tenants: [])
        let admin = ConsoleUser(id: 2, login: "a", displayName: "", role: .admin, allTenants: false, tenants: ["loja-a"])
        #expect(ConsoleInsight.scope(owner) == .all && ConsoleInsight.scope(admin) == .tenants(["loja-a"]))
    }

    @Test("every proposed fix links to a page of the console; a replay links to its group")
    func fixLinks() {
        #expect(ConsoleInsight.path(.replayDeadLetters(reason: "retries_exhausted")) == "/failures?reason=retries_exhausted")
        #expect(ConsoleInsight.path(.contactSupport) == "/help#support")
        #expect(ConsoleInsight.eventPath(LedgerEventKey(pixel: "111", eventName: "Purchase", eventID: "hotmart.HP 1"))
                == "/ledger/event?pixel=111&name=Purchase&id=hotmart.HP%201")
        #expect(ConsoleInsight.fateClass(.sent(fbtraceID: nil)) == "sent" && ConsoleInsight.fateClass(.deadLettered) == "not_sent")
    }

    @Test("the live event is one line of JSON with the figures formatted for the language, text escaped")
    func liveJSON() throws {
        let strings = ConsoleStrings(tables: [.portuguese: ["live_paused_line": "%@: %@ (%@ aguardando)"], .english: [:]])
        let status = LiveStatus(collectedAt: Date(timeIntervalSince1970: 1_796_472_000), lag: 1234, pending: 2, sendsPerMinute: 15,
                                retriesScheduled: 3, retriesInFlight: 1, deadLetters: 0,
                                pausedPixels: [LiveStatus.PausedPixel(pixel: "111", pause: "token: \"expired\"\n<b>", parked: 1500)])
        let line = LivePage.json(status, language: .portuguese, strings: strings)
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["lag"] as? String == "1.234" && object["sends"] as? String == "15" && object["retries"] as? String == "4")
        #expect(object["level"] as? String == "problem" && object["at"] as? String == "05/12/2026 09h00")
        #expect((object["paused"] as? [String])?.first == "111: token: \"expired\"\n<b> (1.500 aguardando)")
    }
}
