public import Foundation

/// `dispatchd report reconcile`: per gateway, the sale records received on a day, those that
/// reached Meta, and every one that did not with its reason — built by a pure fold over
/// ``ReconcileSale`` values, so `received == sent + notSent.count` holds by construction and
/// is unit-tested.
public struct Reconciliation: Sendable, Equatable {
    public struct NotSent: Sendable, Equatable {
        public var orderID: String
        public var status: String
        public var reason: ReconcileReason
        public var detail: String?
    }

    public struct Gateway: Sendable, Equatable {
        public var gateway: String
        public var received = 0
        public var sent = 0
        public var notSent: [NotSent] = []
        /// Matched records by method.
        public var matches: [String: Int] = [:]

        /// Share of received records matched by each method (0…1).
        public var matchRate: [String: Double] {
            received == 0 ? [:] : matches.mapValues { Double($0) / Double(received) }
        }
    }

    public var tenant: String
    public var day: Date
    /// By gateway name.
    public var gateways: [Gateway]

    public init(tenant: String, day: Date, sales: [ReconcileSale]) {
        self.tenant = tenant
        self.day = day
        var byGateway: [String: Gateway] = [:]
        for sale in sales {
            var g = byGateway[sale.gateway] ?? Gateway(gateway: sale.gateway)
            g.received += 1
            if let method = sale.matchMethod { g.matches[method, default: 0] += 1 }
            switch sale.verdict {
            case .sent: g.sent += 1
            case .notSent(let reason, let detail):
                g.notSent.append(NotSent(orderID: sale.orderID, status: sale.status, reason: reason, detail: detail))
            }
            byGateway[sale.gateway] = g
        }
        gateways = byGateway.values.sorted { $0.gateway < $1.gateway }
    }

    public var received: Int { gateways.reduce(0) { $0 + $1.received } }
    public var sent: Int { gateways.reduce(0) { $0 + $1.sent } }
    public var notSentCount: Int { gateways.reduce(0) { $0 + $1.notSent.count } }

    /// One JSON object: tenant, day, and per gateway `received`, `sent`, `not_sent` (a list of
    /// `{order_id, status, reason, detail}`) and `match_rate` by method.
    public func json() -> String {
        var w = JSONWriter(profile: .stored, capacity: 1024)
        w.beginObject()
        w.field("tenant", tenant)
        w.field("day", Self.dayText(day))
        w.key("gateways")
        w.beginObject()
        for g in gateways {
            w.key(g.gateway)
            w.beginObject()
            w.key("received"); w.int(g.received)
            w.key("sent"); w.int(g.sent)
            w.key("not_sent")
            w.beginArray()
            for n in g.notSent {
                w.beginObject()
                w.field("order_id", n.orderID)
                w.field("status", n.status)
                w.field("reason", n.reason.rawValue)
                if let detail = n.detail { w.field("detail", detail) }
                w.endObject()
            }
            w.endArray()
            w.key("match_rate")
            w.beginObject()
            for (method, rate) in g.matchRate.sorted(by: { $0.key < $1.key }) { w.key(method); w.double(rate) }
            w.endObject()
            w.endObject()
        }
        w.endObject()
        w.endObject()
        return w.text
    }

    /// A plain-text report for a terminal.
    public func plainText() -> String {
        var lines = ["Reconciliation for tenant \(tenant), \(Self.dayText(day)) (UTC): received \(received), sent \(sent), not sent \(notSentCount)"]
        for g in gateways {
            let rates = g.matchRate.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.1f", $0.value * 100))%" }
            lines.append("")
            lines.append("\(g.gateway): received \(g.received), sent \(g.sent), not sent \(g.notSent.count); match rate: \(rates.isEmpty ? "none" : rates.joined(separator: ", "))")
            for n in g.notSent {
                lines.append("  \(n.orderID) (\(n.status)): \(n.reason.rawValue)\(n.detail.map { " (\($0))" } ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func dayText(_ day: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}
