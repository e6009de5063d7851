import Foundation
import Testing
@testable import TrackhubCore

@Suite("Reconciliation: every sale sent or not sent with its reason, totals that add up")
struct ReconciliationTests {
    static func sale(_ order: String, _ ledger: [String] = [], gateway: String = "hotmart", status: String = "approved",
                     event: String? = "Purchase", inbox: String? = "conversion approved", dead: [String] = [],
                     match: String? = nil) -> ReconcileSale {
        ReconcileSale(gateway: gateway, orderID: order, status: status, eventName: event, inboxOutcome: inbox,
                      ledgerOutcomes: ledger, deadLetterReasons: dead, matchMethod: match)
    }

    @Test("each reason from its facts; a sent row wins over later failures (a resend after a crash)")
    func verdicts() {
        let cases: [(ReconcileSale, ReconcileSale.Verdict)] = [
            (Self.sale("a", ["retry_scheduled", "sent"]), .sent),
            (Self.sale("b", ["sent", "skipped_duplicate"]), .sent),
            (Self.sale("c", ["consent_blocked"]), .notSent(.consent, detail: nil)),
            (Self.sale("d", ["skipped_duplicate"]), .notSent(.duplicate, detail: nil)),
            (Self.sale("e", ["retry_scheduled", "parked"]), .notSent(.parkedToken, detail: nil)),
            (Self.sale("f", ["held"]), .notSent(.heldLateClick, detail: nil)),
            (Self.sale("g", ["dry_run"]), .notSent(.dryRun, detail: nil)),
            (Self.sale("h", ["retry_scheduled"]), .notSent(.retrying, detail: nil)),
            (Self.sale("i", ["retry_scheduled", "dead_lettered"], dead: ["retries_exhausted"]), .notSent(.deadLetter, detail: "retries_exhausted")),
            (Self.sale("j", [], dead: ["expired"]), .notSent(.expired, detail: nil)),
            (Self.sale("k", [], dead: ["no_pixel"]), .notSent(.deadLetter, detail: "no_pixel")),
            (Self.sale("l", [], inbox: "conversion approved (gateway test delivery: not sent to live pixel 101)"), .notSent(.testDelivery, detail: nil)),
            (Self.sale("m", [], status: "canceled", event: nil), .notSent(.ignoredStatus, detail: "canceled")),
            (Self.sale("n", []), .notSent(.notProcessed, detail: nil)),
        ]
        for (sale, expected) in cases { #expect(sale.verdict == expected, "order \(sale.orderID)") }
    }

    @Test("per gateway: received = sent + not sent; match rate by method over received; JSON for scripts")
    func report() throws {
        let day = AnalyticsPeriod.day("2026-12-05")!
        let r = Reconciliation(tenant: "shop", day: day, sales: [
            Self.sale("T1", ["sent"], match: "click_id"), Self.sale("T2", ["held"], match: "email"), Self.sale("T3", ["sent"], match: "click_id"),
            Self.sale("T4", [], status: "canceled", event: nil),
            Self.sale("K1", ["sent"], gateway: "kiwify"),
        ])
        #expect(r.gateways.map(\.gateway) == ["hotmart", "kiwify"])
        let h = r.gateways[0]
        #expect(h.received == 4 && h.sent == 2 && h.notSent.map(\.orderID) == ["T2", "T4"])
        #expect(h.received == h.sent + h.notSent.count && r.received == 5 && r.sent == 3 && r.notSentCount == 2)
        #expect(h.matchRate == ["click_id": 0.5, "email": 0.25])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.json().utf8)) as? [String: Any])
        #expect(json["tenant"] as? String == "shop" && json["day"] as? String == "2026-12-05")
        let gateways = try #require(json["gateways"] as? [String: [String: Any]])
        #expect(gateways["hotmart"]?["received"] as? Int == 4 && gateways["hotmart"]?["sent"] as? Int == 2)
        let notSent = try #require(gateways["hotmart"]?["not_sent"] as? [[String: Any]])
        #expect(notSent.map { $0["order_id"] as? String } == ["T2", "T4"])
        #expect(notSent.map { $0["reason"] as? String } == ["held_late_click", "ignored_status"])
        #expect(r.plainText().contains("T2 (approved): held_late_click"))
        #expect(ReconcileReason.allCases.allSatisfy { !$0.label.ptBR.isEmpty && !$0.label.en.isEmpty && $0.label.ptBR != $0.label.en })
    }
}
