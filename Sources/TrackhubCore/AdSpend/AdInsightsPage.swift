public import Foundation

/// One page of `GET /act_{id}/insights` (reference console-alerts-telegram §2.1): its rows and
/// the `paging.next` URL, read strictly — a page we cannot read fully is an error, never a
/// partial import that would replace a day with less than Meta reported.
///
/// Metrics arrive as strings (`"spend":"5339.5"`, `"impressions":"361324"`); they are read as
/// exact decimals and integers (numbers are accepted too). A row must name its object at the
/// requested level, one day (`date_start` = `date_stop`) and a currency.
public struct AdInsightsPage: Sendable, Equatable {
    public var rows: [AdInsightsRow]
    /// `paging.next`: the next page's full URL; nil on the last page.
    public var next: String?

    public init(rows: [AdInsightsRow], next: String?) {
        self.rows = rows
        self.next = next
    }

    /// Why a page could not be read: names the row and field, never shows a value that could be
    /// a token (Graph echoes `access_token` in `paging.next`, which is never quoted here).
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let reason: String
        public init(_ reason: String) { self.reason = reason }
        public var description: String { "unreadable insights page: \(reason)" }
    }

    /// Largest spend a row may carry (as ``SalesMoney/maxAmount``): anything above is a mangled number.
    static let maxSpend = SalesMoney.maxAmount

    public static func parse(_ body: [UInt8], level: AdSpendStore.Level) throws(ParseError) -> AdInsightsPage {
        guard let top = JSONValue.parse(body)?.objectMembers else { throw ParseError("the body is not a JSON object") }
        guard let data = top["data"]?.arrayElements else { throw ParseError("no data array") }
        var rows: [AdInsightsRow] = []
        rows.reserveCapacity(data.count)
        for (i, element) in data.enumerated() {
            rows.append(try row(element, index: i, level: level))
        }
        var next: String?
        if let paging = top["paging"] {
            switch paging["next"] {
            case nil, .null?: next = nil
            case .string(let url)?: next = url.isEmpty ? nil : url
            default: throw ParseError("paging.next is not a string")
            }
        }
        return AdInsightsPage(rows: rows, next: next)
    }

    static func row(_ value: JSONValue, index i: Int, level: AdSpendStore.Level) throws(ParseError) -> AdInsightsRow {
        guard let fields = value.objectMembers else { throw ParseError("data[\(i)] is not an object") }
        func text(_ name: String) throws(ParseError) -> String {
            switch fields[name] {
            case nil, .null?: return ""
            case .string(let s)?: return s
            case .number(let n)?: return n
            default: throw ParseError("data[\(i)].\(name) is not a string")
            }
        }
        let start = try text("date_start"), stop = try text("date_stop")
        guard AdSpendPlan.isDay(start) else { throw ParseError("data[\(i)].date_start is not a YYYY-MM-DD day") }
        guard stop.isEmpty || stop == start else { throw ParseError("data[\(i)] covers more than one day (time_increment=1 expected)") }
        let currency = try text("account_currency").uppercased()
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw ParseError("data[\(i)].account_currency is not a currency code")
        }
        let spendText = try text("spend")
        guard SalesMoney.isJSONNumberLiteral(spendText), let spend = SalesMoney.parseJSONNumber(spendText),
              spend >= 0, spend <= maxSpend else { throw ParseError("data[\(i)].spend is not a decimal amount") }
        func count(_ name: String) throws(ParseError) -> Int64 {
            let t = try text(name)
            if t.isEmpty { return 0 }
            guard let n = Int64(t), n >= 0 else { throw ParseError("data[\(i)].\(name) is not a whole number") }
            return n
        }
        let row = AdInsightsRow(
            day: start, level: level, objectID: "",
            campaignID: try text("campaign_id"), campaignName: try text("campaign_name"),
            adsetID: try text("adset_id"), adsetName: try text("adset_name"),
            adID: try text("ad_id"), adName: try text("ad_name"),
            currency: currency, spend: spend, impressions: try count("impressions"), clicks: try count("clicks"))
        var out = row
        switch level {
        case .campaign: out.objectID = row.campaignID
        case .adset: out.objectID = row.adsetID
        case .ad: out.objectID = row.adID
        }
        guard !out.objectID.isEmpty else { throw ParseError("data[\(i)] has no \(level.rawValue)_id") }
        return out
    }
}
