public import Foundation

/// What a campaign (or ad) returned on its spend: ROAS, ROI, CPA and profit, in one currency.
///
/// Trackhub's ROAS is its own gateway revenue ÷ Meta's `spend` (not Meta's `purchase_roas`,
/// which depends on Meta's attribution settings). Revenue and spend are compared only in the
/// same currency: a campaign that sells in BRL on an ad account billed in USD has no ROAS here
/// (nil), never a silently converted one. Revenue is the net revenue (approved − refunds −
/// chargebacks) of the sales attributed to the campaign — `utm_campaign={{campaign.id}}` —
/// and `sales` the approved ones.
public struct CampaignReturn: Sendable, Equatable {
    public var currency: String
    public var revenue: Decimal
    public var spend: Decimal
    public var sales: Int

    public init(currency: String, revenue: Decimal, spend: Decimal, sales: Int) {
        self.currency = currency; self.revenue = revenue; self.spend = spend; self.sales = sales
    }

    /// revenue − spend.
    public var profit: Decimal { revenue - spend }
    /// revenue ÷ spend (nil without spend).
    public var roas: Double? { spend > 0 ? Self.double(revenue / spend) : nil }
    /// (revenue − spend) ÷ spend (nil without spend).
    public var roi: Double? { spend > 0 ? Self.double(profit / spend) : nil }
    /// spend ÷ sales (nil without sales).
    public var cpa: Decimal? { sales > 0 ? spend / Decimal(sales) : nil }

    /// The returns of one campaign from its totals and its spend per currency: one value per
    /// currency that has spend (revenue in another currency is not counted against it).
    public static func of(_ totals: AnalyticsTotals, spend: [String: Decimal]) -> [CampaignReturn] {
        spend.keys.sorted().map { currency in
            CampaignReturn(currency: currency, revenue: totals.netRevenue[currency] ?? 0, spend: spend[currency] ?? 0,
                           sales: totals.approved)
        }
    }

    /// A ratio for display only (the money stays Decimal).
    static func double(_ d: Decimal) -> Double { NSDecimalNumber(decimal: d).doubleValue }
}
