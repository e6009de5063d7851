import Foundation
import Testing
@testable import TrackhubCore
import TrackhubTesting

@Suite("Alert engine: every rule fires once, repeats at a bounded rate, resolves once")
struct AlertEngineTests {
    let engine = AlertEngine()
    let now = AlertRuleFixtures.now

    @Test("each rule: fire, silence, repeats that double up to the cap, then one resolved", arguments: AlertRule.allCases)
    func lifecycle(rule: AlertRule) {
        let holding = AlertRuleFixtures.holding(rule)
        var state = AlertState()
        var kinds: [AlertNotification.Kind] = []
        var repeatTimes: [Int] = []
        // 28 hours of rounds every 30 s while the condition holds.
        for step in 0..<(28 * 120) {
            let at = now.addingTimeInterval(Double(step * 30))
            let round = engine.evaluate(facts: holding, previous: state, now: at)
            for n in round.notifications {
                #expect(n.key.rule == rule)
                kinds.append(n.kind)
                if n.kind == .repeated { repeatTimes.append(step * 30 / 60) }
            }
            state = round.state
        }
        #expect(kinds.first == .fired && kinds.filter { $0 == .fired }.count == 1)
        // 60, +120, +240, +480, +720 (cap), +720 … minutes after the first message.
        #expect(repeatTimes == [60, 180, 420, 900, 1620])
        #expect(!kinds.contains(.resolved))

        // Clear: nothing until resolve-after has passed, then exactly one "resolved".
        let end = now.addingTimeInterval(28 * 3600)
        var resolved: [AlertNotification] = []
        for step in 0..<20 {
            let round = engine.evaluate(facts: AlertRuleFixtures.clear(rule), previous: state, now: end.addingTimeInterval(Double(step * 30)))
            resolved += round.notifications
            state = round.state
            if step < 4 { #expect(round.notifications.isEmpty) }
        }
        #expect(resolved.map(\.kind) == [.resolved])
        #expect(resolved.first?.sequence == 7)
        #expect(state.active.isEmpty)
    }

    @Test("each rule stays quiet just short of its threshold", arguments: AlertRule.allCases)
    func belowThreshold(rule: AlertRule) {
        let round = engine.evaluate(facts: AlertRuleFixtures.justShort(rule), previous: AlertState(), now: now)
        #expect(round.notifications.isEmpty && round.state.active.isEmpty)
    }

    @Test("a rule whose facts could not be read neither fires nor resolves")
    func unobserved() {
        var facts = AlertRuleFixtures.holding(.pixelPaused)
        let fired = engine.evaluate(facts: facts, previous: AlertState(), now: now)
        #expect(fired.notifications.count == 1)
        facts = AlertFacts(observed: [.deadLetters])
        var state = fired.state
        for step in 1...20 {
            let round = engine.evaluate(facts: facts, previous: state, now: now.addingTimeInterval(Double(step * 30)))
            #expect(round.notifications.isEmpty)
            state = round.state
        }
        #expect(state == fired.state)
        // Unobserved facts are ignored even when present.
        var unread = AlertRuleFixtures.holding(.deadLetters)
        unread.observed = []
        #expect(engine.evaluate(facts: unread, previous: AlertState(), now: now).notifications.isEmpty)
    }

    @Test("a condition that comes back before resolve-after continues the same alert: no resolved/fired pair")
    func flapping() {
        let holding = AlertRuleFixtures.holding(.consumerLag)
        var state = engine.evaluate(facts: holding, previous: AlertState(), now: now).state
        let clear = engine.evaluate(facts: AlertRuleFixtures.clear(.consumerLag), previous: state, now: now.addingTimeInterval(60))
        #expect(clear.notifications.isEmpty && clear.state.active.first?.value.clearSince != nil)
        state = clear.state
        let back = engine.evaluate(facts: holding, previous: state, now: now.addingTimeInterval(90))
        #expect(back.notifications.isEmpty && back.state.active.first?.value.clearSince == nil)
        #expect(back.state.active.first?.value.firstSeenAt == now)
    }

    @Test("several subjects of one rule are separate alerts, sorted, and one resolving leaves the other")
    func subjects() {
        var facts = AlertFacts(observed: [.pixelPaused])
        facts.pausedPixels = [.init(tenant: "b", pixel: "222", reason: "token", parked: 0),
                              .init(tenant: "a", pixel: "111", reason: "permission", parked: 3)]
        let first = engine.evaluate(facts: facts, previous: AlertState(), now: now)
        #expect(first.notifications.map(\.key.subject) == ["111", "222"])
        #expect(first.notifications.map(\.key.tenant) == ["a", "b"])
        facts.pausedPixels.removeLast()
        let waiting = engine.evaluate(facts: facts, previous: first.state, now: now.addingTimeInterval(600))
        #expect(waiting.notifications.isEmpty)
        let later = engine.evaluate(facts: facts, previous: waiting.state, now: now.addingTimeInterval(720))
        #expect(later.notifications.map(\.key.subject) == ["111"] && later.notifications.map(\.kind) == [.resolved])
        #expect(later.state.active.keys.map(\.subject) == ["222"])
    }

    @Test("the repeat interval doubles from repeat-minutes and stops at the cap")
    func repeatInterval() {
        var t = AlertThresholds()
        t.repeatMinutes = 10
        t.repeatCapMinutes = 45
        #expect((1...5).map { t.repeatInterval(afterNotifications: $0) } == [.seconds(600), .seconds(1200), .seconds(2400), .seconds(2700), .seconds(2700)])
    }

    @Test("alert keys round-trip through their stored id")
    func keyID() {
        let k = AlertKey(.gatewaySilent, tenant: "loja", subject: "hotmart/a|b")
        #expect(AlertKey(id: k.id) == k)
        #expect(AlertKey(id: AlertKey(.deadLetters, tenant: nil, subject: "invalid").id)?.tenant == nil)
        #expect(AlertKey(id: "nope|x|y") == nil)
    }
}
