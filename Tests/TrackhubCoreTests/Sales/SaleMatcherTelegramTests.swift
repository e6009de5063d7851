import Foundation
import Testing
@testable import TrackhubCore

/// Sales closed inside a Telegram bot (issue 19, item 4): the payment's metadata names the
/// buyer's Telegram user; the pure parts of the match (the Postgres look-up is tested end to end).
@Suite("sale matching: the bot user's click")
struct SaleMatcherTelegramTests {
    let matcher = SaleMatcher(window: 7 * 86_400, scoreThreshold: 0.7)

    @Test("tg_user_id or telegram_user_id in the metadata, digits only")
    func userID() {
        #expect(SaleMatcher.telegramUserID(TrackingParameters(metadata: ["tg_user_id": " 6100000001 "])) == 6_100_000_001)
        #expect(SaleMatcher.telegramUserID(TrackingParameters(metadata: ["telegram_user_id": "42"])) == 42)
        #expect(SaleMatcher.telegramUserID(TrackingParameters(metadata: ["tg_user_id": "@ana"])) == nil)
        #expect(SaleMatcher.telegramUserID(TrackingParameters(metadata: ["tg_user_id": "-5"])) == nil)
        #expect(SaleMatcher.telegramUserID(TrackingParameters(metadata: ["click_id": "42"])) == nil)
    }

    @Test("the bot user's click counts only inside the window before the sale (give or take the clock skew)")
    func window() {
        let sale = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(matcher.inWindow(click: sale.addingTimeInterval(-3 * 86_400), sale: sale))
        #expect(matcher.inWindow(click: sale.addingTimeInterval(60), sale: sale))
        #expect(!matcher.inWindow(click: sale.addingTimeInterval(-8 * 86_400), sale: sale))
        #expect(!matcher.inWindow(click: sale.addingTimeInterval(3600), sale: sale))
    }
}
