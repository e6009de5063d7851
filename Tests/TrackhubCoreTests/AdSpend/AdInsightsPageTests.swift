import Foundation
import Testing
@testable import TrackhubCore

@Suite("Ad spend: reading an insights page")
struct AdInsightsPageTests {
    static func parse(_ json: String, _ level: AdSpendStore.Level) throws -> AdInsightsPage {
        try AdInsightsPage.parse(Array(json.utf8), level: level)
    }

    @Test("string metrics become exact decimals and integers; the object id follows the level; paging.next is kept")
    func readsAPage() throws {
        let page = try Self.parse("""
            {"data":[{"campaign_id":"120210","campaign_name":"Black Friday","adset_id":"5501","adset_name":"Lookalike","ad_id":"9001",
              "ad_name":"Video 1","spend":"1234.57","impressions":"361324","clicks":"4821","account_currency":"BRL",
              "date_start":"2026-12-05","date_stop":"2026-12-05"},
             {"campaign_id":"120210","adset_id":"5501","ad_id":"9002","spend":"0.1","impressions":"7","account_currency":"brl",
              "date_start":"2026-12-06","date_stop":"2026-12-06"}],
             "paging":{"cursors":{"before":"QVFI","after":"QVFJ"},"next":"https://graph.facebook.com/v25.0/act_1/insights?after=QVFJ"}}
            """, .ad)
        #expect(page.rows.count == 2)
        let first = page.rows[0]
        #expect(first.objectID == "9001" && first.campaignID == "120210" && first.adsetName == "Lookalike" && first.adName == "Video 1")
        #expect(first.spend == Decimal(string: "1234.57")! && first.impressions == 361_324 && first.clicks == 4821)
        #expect(first.day == "2026-12-05" && first.currency == "BRL" && first.level == .ad)
        // 0.1 stays 0.1 exactly (a Double would not); a missing clicks is 0; currency upper-cased.
        #expect(page.rows[1].spend == Decimal(string: "0.1")! && page.rows[1].clicks == 0 && page.rows[1].currency == "BRL")
        #expect(page.next == "https://graph.facebook.com/v25.0/act_1/insights?after=QVFJ")
    }

    @Test("the last page has no next; an empty data array is a day without spend, not an error")
    func lastAndEmptyPages() throws {
        #expect(try Self.parse(#"{"data":[],"paging":{"cursors":{"before":"a","after":"b"}}}"#, .campaign) == AdInsightsPage(rows: [], next: nil))
        #expect(try Self.parse(#"{"data":[]}"#, .campaign).next == nil)
    }

    @Test("what cannot be read fully is refused, naming the row and field", arguments: [
        (#"[]"#, "not a JSON object"),
        (#"{"error":{"code":1}}"#, "no data array"),
        (#"{"data":[{"campaign_id":"1","spend":"12,50","account_currency":"BRL","date_start":"2026-12-05"}]}"#, "data[0].spend"),
        (#"{"data":[{"campaign_id":"1","spend":12.5e99,"account_currency":"BRL","date_start":"2026-12-05"}]}"#, "data[0].spend"),
        (#"{"data":[{"campaign_id":"1","spend":"-3","account_currency":"BRL","date_start":"2026-12-05"}]}"#, "data[0].spend"),
        (#"{"data":[{"campaign_id":"1","spend":"3","account_currency":"BRL","date_start":"2026-12-01","date_stop":"2026-12-05"}]}"#, "more than one day"),
        (#"{"data":[{"campaign_id":"1","spend":"3","account_currency":"R$","date_start":"2026-12-05"}]}"#, "account_currency"),
        (#"{"data":[{"spend":"3","account_currency":"BRL","date_start":"2026-12-05"}]}"#, "no campaign_id"),
        (#"{"data":[{"campaign_id":"1","spend":"3","impressions":"1.5","account_currency":"BRL","date_start":"2026-12-05"}]}"#, "data[0].impressions"),
        (#"{"data":[{"campaign_id":"1","spend":"3","account_currency":"BRL","date_start":"5/12/2026"}]}"#, "date_start"),
        (#"{"data":[],"paging":{"next":7}}"#, "paging.next"),
    ])
    func refuses(json: String, reason: String) {
        #expect {
            _ = try Self.parse(json, .campaign)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }
}
