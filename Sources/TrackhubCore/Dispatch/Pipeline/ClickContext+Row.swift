import Foundation

extension ClickContext {
    /// A touchpoint row as a click context: every look-up that lends a click's data (by click
    /// id, session, email/phone, network) selects the same columns — `id`, `click_id`, `fbc`,
    /// `fbp`, `ip` (as `host(ip)`), `user_agent`, `page_url`, `occurred_at`.
    init(row i: Int, of rows: PostgresRows, tenant: String?, fallbackTime: Date) throws {
        self.init(clickID: try rows.string(i, "click_id") ?? "", fbc: try rows.string(i, "fbc"), fbp: try rows.string(i, "fbp"),
                  ip: try rows.string(i, "ip"), userAgent: try rows.string(i, "user_agent"),
                  occurredAt: (try? rows.date(i, "occurred_at")).flatMap { $0 } ?? fallbackTime,
                  touchpointID: (try? rows.int(i, "id")).flatMap { $0.map(Int64.init) },
                  pageURL: try rows.string(i, "page_url"), tenant: tenant)
    }
}
