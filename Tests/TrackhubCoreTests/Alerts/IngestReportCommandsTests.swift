import Foundation
import Testing
import TrackhubCore

@Suite("ingestd's alert report: commands and the refusal tally")
struct IngestReportCommandsTests {
    let keys = AlertRedisKeys(layout: StreamLayout(prefix: "th"))

    @Test("the report is one HSET of the fields the gatherer reads, then an EXPIRE of a day")
    func report() {
        let at = Date(timeIntervalSince1970: 1_780_000_000.25)
        let commands = IngestReportCommands.report(
            .init(instance: "edge-1", spoolPending: 42, redisConnected: false, reportedAt: at), keys: keys)
        #expect(commands == [
            ["HSET", "th:ingest:report:edge-1", "spool_pending", "42", "redis_connected", "0", "reported_at_ms", "1780000000250"],
            ["EXPIRE", "th:ingest:report:edge-1", "86400"],
        ])
    }

    @Test("a minute's refusals are increments per account, sorted, then one EXPIRE; none, no command")
    func rejections() {
        let commands = IngestReportCommands.rejections(["kiwify/k1": 3, "hotmart/main": 1, "eduzz/x": 0], minute: 29_666_666, keys: keys)
        #expect(commands == [
            ["HINCRBY", "th:webhook:rejected:29666666", "hotmart/main", "1"],
            ["HINCRBY", "th:webhook:rejected:29666666", "kiwify/k1", "3"],
            ["EXPIRE", "th:webhook:rejected:29666666", "7200"],
        ])
        #expect(IngestReportCommands.rejections([:], minute: 1, keys: keys).isEmpty)
    }

    @Test("the tally counts per minute and account, empties on take, and keeps what a failed write put back")
    func tally() {
        let tally = WebhookRejectionTally()
        let t0 = Date(timeIntervalSince1970: 60 * 1000 + 59)   // minute 1000
        tally.add(gateway: "kiwify", account: "k1", at: t0)
        tally.add(gateway: "kiwify", account: "k1", at: t0)
        tally.add(gateway: "hotmart", account: "main", at: t0.addingTimeInterval(1))   // minute 1001
        let taken = tally.take()
        #expect(taken.map(\.minute) == [1000, 1001])
        #expect(taken.first?.counts == ["kiwify/k1": 2])
        #expect(tally.take().isEmpty)
        tally.add(gateway: "kiwify", account: "k1", at: t0)
        tally.putBack(taken)
        #expect(tally.take().first?.counts == ["kiwify/k1": 3])
    }

    @Test("while Redis stays away, only the newest hour of refusals is kept")
    func tallyBounded() {
        let tally = WebhookRejectionTally()
        let old = (0..<90).map { (minute: Int64($0), counts: ["kiwify/k1": 1]) }
        tally.putBack(old)
        let kept = tally.take()
        #expect(kept.count == WebhookRejectionTally.maxMinutesKept)
        #expect(kept.first?.minute == 30 && kept.last?.minute == 89)
    }
}
