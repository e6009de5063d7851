import Testing
import TrackhubConsole

/// The Início status line: the worst problem wins, each problem comes with its action.
@Suite("Console status line")
struct StatusLineTests {
    @Test("no pixel yet: start the setup")
    func start() {
        let line = StatusLine.decide(HomeFacts())
        #expect(line.level == .start && line.action?.path == "/setup")
    }

    @Test("all good, with and without sales")
    func ok() {
        var facts = HomeFacts()
        facts.pixels = 1
        #expect(StatusLine.decide(facts) == StatusLine(level: .ok, text: .init("status_ok_no_sales"), action: nil))
        facts.salesToday = 128
        facts.sentToday = 127
        #expect(StatusLine.decide(facts).text == .init("status_ok", [.count(128), .count(127)]))
    }

    @Test("a refused token beats dead letters; code 190 says expired, others say refused")
    func attention() {
        var facts = HomeFacts()
        facts.pixels = 2
        facts.deadLettersToday = 4
        #expect(StatusLine.decide(facts).action?.path == "/dead-letters")
        facts.pixelProblems = [.init(pixelID: "1", tenantID: "t", metaCode: 100, waitingEvents: 2),
                               .init(pixelID: "2", tenantID: "t", metaCode: 190, waitingEvents: 14)]
        let line = StatusLine.decide(facts)
        #expect(line.level == .attention && line.text == .init("status_token_expired", [.text("2"), .count(14)]))
        #expect(line.action?.labelKey == "status_action_token")
        facts.pixelProblems = [.init(pixelID: "1", tenantID: "t", metaCode: 100, waitingEvents: 2)]
        #expect(StatusLine.decide(facts).text.key == "status_token_refused")
    }
}
