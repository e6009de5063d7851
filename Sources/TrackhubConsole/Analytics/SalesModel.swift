import Foundation
import TrackhubCore

/// The Vendas page's template model from one day's ``Reconciliation`` — pure, so what the seller
/// reads (totals that add up, each sale not sent with its reason in words and what to do about
/// it) is unit-tested without a server.
struct SalesModel {
    let reconciliation: Reconciliation
    let language: ConsoleLanguage
    let strings: ConsoleStrings

    func text(_ key: String) -> String { strings.text(key, language) }

    /// The gateway as sellers write it (`Mercado Pago`), or the stored name when unknown.
    static func gatewayName(_ stored: String) -> String {
        Gateway(rawValue: stored).map(SetupGateways.name) ?? stored
    }

    /// Where the seller acts on a sale not sent for `reason` (nil: nothing to do but wait or accept it),
    /// with the words of the link. The same destinations as the Ajuda chat's fixes.
    func action(_ reason: ReconcileReason, detail: String?) -> (label: String, path: String)? {
        switch reason {
        case .deadLetter:
            (text("sales_action_replay"), ConsoleInsight.path(.replayDeadLetters(reason: detail ?? "")))
        case .parkedToken:
            (text("sales_action_token"), ConsoleInsight.path(.replaceToken(pixel: "")))
        case .dryRun:
            (text("sales_action_live"), ConsoleInsight.path(.switchPixelToLive(pixel: "")))
        case .consent, .testDelivery, .expired, .heldLateClick, .duplicate, .ignoredStatus, .retrying, .notProcessed:
            nil
        }
    }

    /// A sale's status in words (`aprovada`), as the Registro shows it; an unknown one as stored.
    func status(_ stored: String) -> String {
        ConversionStatus(rawValue: stored) == nil ? stored : text("sale_status_" + stored)
    }

    var model: [String: Any] {
        let r = reconciliation
        let tiles: [[String: Any]] = [
            ["label": text("sales_received"), "value": ConsoleFormat.integer(r.received, language), "testid": "sales-received"],
            ["label": text("sales_sent"), "value": ConsoleFormat.integer(r.sent, language), "testid": "sales-sent"],
            ["label": text("sales_not_sent"), "value": ConsoleFormat.integer(r.notSentCount, language), "testid": "sales-not-sent"],
        ]
        let gateways: [[String: Any]] = r.gateways.map { g in
            let rates = g.matchRate.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                .map { "\($0.key) \(ConsoleFormat.percent($0.value, language))" }
            return ["name": Self.gatewayName(g.gateway), "received": ConsoleFormat.integer(g.received, language),
                    "sent": ConsoleFormat.integer(g.sent, language), "not_sent": ConsoleFormat.integer(g.notSent.count, language),
                    "match": rates.isEmpty ? "—" : rates.joined(separator: ", ")]
        }
        let notSent: [[String: Any]] = r.gateways.flatMap { g in
            g.notSent.map { n -> [String: Any] in
                var row: [String: Any] = [
                    "gateway": Self.gatewayName(g.gateway), "order": n.orderID, "status": status(n.status),
                    "reason": ConsoleInsight.text(n.reason.label, language), "detail": n.detail ?? "",
                    "has_detail": n.detail != nil, "ledger_path": "/ledger?q=" + ConsoleInsight.query(n.orderID),
                ]
                if let action = action(n.reason, detail: n.detail) {
                    row["has_action"] = true
                    row["action_label"] = action.label
                    row["action_path"] = action.path
                }
                return row
            }
        }
        return [
            "tiles": tiles, "gateways": gateways, "has_sales": r.received > 0,
            "not_sent": notSent, "has_not_sent": !notSent.isEmpty,
            "summary": summary,
        ]
    }

    /// One line for the day: "Recebidas dos gateways: 42 · enviadas à Meta: 41 · não enviadas: 1."
    var summary: String {
        let r = reconciliation
        return strings.text("sales_summary", language, ConsoleFormat.integer(r.received, language),
                            ConsoleFormat.integer(r.sent, language), ConsoleFormat.integer(r.notSentCount, language))
    }
}
