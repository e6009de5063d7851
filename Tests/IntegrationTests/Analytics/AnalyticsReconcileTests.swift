import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// `dispatchd report reconcile` against sales planted through a real ingestd and worker: one
/// sale of each reason this fixture can produce (sent, ignored status, gateway test delivery,
/// expired, held for a late click, parked by token), each found with its reason, and totals
/// that add up — in the text report and in `--json`.
extension SalesEndToEndTests {
    @Suite("reconciliation")
    struct AnalyticsReconcile {
        static func transaction() -> String { "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999)) }

        @Test("one sale per reason: each listed with its reason, received = sent + not sent, and --json for scripts")
        func onePerReason() async throws {
            var options = DispatchFixture.Options()
            options.lateClickHoldMs = 120_000
            try await withSalesFixture("reconcile", options: options) { s in
                let f = s.f
                let click = try await s.click(to: .hotmart)
                let (sent, canceled, test, expired, held, parked) = (Self.transaction(), Self.transaction(), Self.transaction(),
                                                                     Self.transaction(), Self.transaction(), Self.transaction())
                var envelopes = [
                    try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: sent, buyer: .unique("rc-sent"), sck: click.id)),
                    try await s.deliverAccepted(SalesWebhooks.hotmart(event: "PURCHASE_CANCELED", transaction: canceled,
                                                                      buyer: .unique("rc-cancel"), sck: nil)),
                    try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: test, buyer: SalesWebhooks.Buyer(email: "comprador@example.com", name: "Comprador Teste"),
                                                                      sck: nil)),
                    try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: expired, buyer: .unique("rc-old"), sck: nil,
                                                                      approvedAt: Date() - 8 * 86_400)),
                    try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: held, buyer: .unique("rc-held"), sck: ClickID.generate())),
                ]
                try await s.waitProcessed(envelopes)
                try await f.waitDelivered(["hotmart.\(sent)"], pixel: SalesFixture.pixel)
                try await f.eventually("held") { try s.ledgerOutcomes(eventID: "hotmart.\(held)") == ["held"] }

                // Meta stops accepting the pixel's token: the next sale is parked until a new one is applied.
                f.meta.expectToken(pixel: SalesFixture.pixel, token: "EAAB-some-other-token")
                envelopes = [try await s.deliverAccepted(SalesWebhooks.hotmart(transaction: parked, buyer: .unique("rc-parked"), sck: nil))]
                try await s.waitProcessed(envelopes)
                try await f.eventually("parked") { try s.ledgerOutcomes(eventID: "hotmart.\(parked)").last == "parked" }

                let day = ISO8601DateFormatter().string(from: Date()).prefix(10)
                let result = try await f.cli(["report", "reconcile", "--tenant", SalesFixture.tenant, "--day", String(day), "--json"])
                try result.requireSuccess("report reconcile")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
                let hotmart = try #require((json["gateways"] as? [String: [String: Any]])?["hotmart"], "\(result.stdout)")
                let notSent = try #require(hotmart["not_sent"] as? [[String: Any]])
                var reasons: [String: String] = [:]
                for n in notSent { reasons[n["order_id"] as? String ?? ""] = n["reason"] as? String }
                print("[reconcile] \(result.stdout)")
                #expect(reasons == [canceled: "ignored_status", test: "test_delivery", expired: "expired", held: "held_late_click",
                                    parked: "parked_token"])
                #expect(hotmart["received"] as? Int == 6 && hotmart["sent"] as? Int == 1)
                #expect((hotmart["received"] as? Int) == (hotmart["sent"] as? Int ?? -1) + notSent.count)
                #expect((hotmart["match_rate"] as? [String: Double])?["click_id"] == 1.0 / 6.0)

                let text = try await f.cli(["report", "reconcile", "--tenant", SalesFixture.tenant, "--day", String(day)])
                try text.requireSuccess("report reconcile (text)")
                #expect(text.stdout.contains("hotmart: received 6, sent 1, not sent 5") && text.stdout.contains("\(held) (approved): held_late_click"))
            }
        }
    }
}
