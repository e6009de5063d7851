import Foundation
import TrackhubCore

/// The Alertas page's template model — pure: the tenant's alerts open now, the latest
/// notifications with how each delivery went, and where the alerts go on Telegram.
struct AlertsModel {
    let tenant: String
    /// The active alerts of every scope; only the tenant's are shown.
    let state: AlertState
    let history: [AlertStore.HistoryEntry]
    /// The tenant's Telegram chat id, when one is set.
    let chatID: String?
    let language: ConsoleLanguage
    let strings: ConsoleStrings

    func text(_ key: String) -> String { strings.text(key, language) }

    /// A delivery's state in words (`sent` → `entregue`); unknown ones as stored.
    func delivery(_ channel: String, _ state: String) -> String {
        let known = ["sent", "pending", "failed"]
        return channel + ": " + (known.contains(state) ? text("alerts_delivery_" + state) : state)
    }

    var model: [String: Any] {
        let open = state.active.values.filter { $0.key.tenant == tenant }.sorted { $0.firstSeenAt < $1.firstSeenAt }
        let openRows: [[String: Any]] = open.map { a in
            let n = AlertNotification(kind: .fired, condition: a.condition, firstSeenAt: a.firstSeenAt, at: a.lastNotifiedAt,
                                      sequence: a.notifications)
            return ["title": ConsoleInsight.text(AlertText.title(n), language), "body": ConsoleInsight.text(AlertText.body(n), language),
                    "since": ConsoleFormat.dateTime(a.firstSeenAt, language)]
        }
        let rows: [[String: Any]] = history.map { h in
            ["title": ConsoleInsight.text(AlertText.title(h.notification), language),
             "body": ConsoleInsight.text(AlertText.body(h.notification), language),
             "when": ConsoleFormat.dateTime(h.notification.at, language),
             "deliveries": h.deliveries.sorted { $0.key < $1.key }.map { delivery($0.key, $0.value) }.joined(separator: " · ")]
        }
        return [
            "open": openRows, "has_open": !openRows.isEmpty,
            "history": rows, "has_history": !rows.isEmpty,
            "chat_id": chatID ?? "", "has_chat": chatID != nil,
        ]
    }
}
