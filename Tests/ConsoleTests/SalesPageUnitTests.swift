import Foundation
import Testing
@testable import TrackhubConsole
import TrackhubCore

@Suite("Vendas: one day's reconciliation as the seller reads it")
struct SalesPageUnitTests {
    static let sales = [
        ReconcileSale(gateway: "hotmart", orderID: "HP-1", status: "approved", eventName: "Purchase", ledgerOutcomes: ["sent"], matchMethod: "click_id"),
        ReconcileSale(gateway: "hotmart", orderID: "HP-2", status: "approved", eventName: "Purchase", ledgerOutcomes: ["parked"]),
        ReconcileSale(gateway: "mercadopago", orderID: "<b>MP-3</b>", status: "approved", eventName: "Purchase",
                      ledgerOutcomes: ["dead_lettered"], deadLetterReasons: ["retries_exhausted"]),
        ReconcileSale(gateway: "kiwify", orderID: "KW-4", status: "approved", eventName: "Purchase", ledgerOutcomes: ["consent_blocked"]),
    ]

    func model(_ language: ConsoleLanguage) throws -> [String: Any] {
        let r = Reconciliation(tenant: "loja", day: Date(timeIntervalSince1970: 1_796_000_000), sales: Self.sales)
        return SalesModel(reconciliation: r, language: language, strings: try ConsoleStrings(resources: ConsoleResources.builtIn)).model
    }

    @Test("totals add up; gateways by their sellers' names; each sale not sent with its reason in words, its action and its ledger link")
    func portuguese() throws {
        let m = try model(.portuguese)
        #expect((m["tiles"] as? [[String: Any]])?.map { $0["value"] as? String } == ["4", "1", "3"])
        #expect(m["summary"] as? String == "Recebidas dos gateways: 4 · enviadas à Meta: 1 · não enviadas: 3.")
        let gateways = try #require(m["gateways"] as? [[String: Any]])
        #expect(gateways.map { $0["name"] as? String } == ["Hotmart", "Kiwify", "Mercado Pago"])
        #expect(gateways.first?["match"] as? String == "click_id 50,0%")
        let rows = try #require(m["not_sent"] as? [[String: Any]])
        #expect(rows.map { $0["reason"] as? String } == ["aguardando novo token do pixel", "comprador recusou rastreamento", "fila de falhas"])
        #expect(rows.first?["status"] as? String == "aprovada")
        #expect(rows.map { $0["action_path"] as? String } == ["/setup", nil, "/failures?reason=retries_exhausted"])
        #expect(rows.last?["order"] as? String == "<b>MP-3</b>", "raw here: the template escapes it")
        #expect(rows.last?["ledger_path"] as? String == "/ledger?q=%3Cb%3EMP-3%3C%2Fb%3E")
    }

    @Test("English with the switch")
    func english() throws {
        let m = try model(.english)
        #expect(m["summary"] as? String == "Received from the gateways: 4 · sent to Meta: 1 · not sent: 3.")
        #expect((m["not_sent"] as? [[String: Any]])?.first?["action_label"] as? String == "replace the token")
    }

    @Test("a day is a São Paulo date; impossible dates are refused")
    func days() throws {
        let day = try #require(SalesPage.day("2026-12-06"))
        #expect(SalesPage.dayValue(day) == "2026-12-06")
        #expect(ConsoleFormat.dateTime(day, .portuguese) == "06/12/2026 00h00")
        #expect(SalesPage.day("2026-02-30") == nil && SalesPage.day("06/12/2026") == nil && SalesPage.day("2026-1-6") == nil)
    }
}
