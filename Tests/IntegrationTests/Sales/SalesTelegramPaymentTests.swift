import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// A sale closed inside the bot (issue 19, item 4): the bot charges a PIX through Mercado Pago
/// with the buyer's Telegram user id in the payment's metadata and no click id; the Purchase
/// is tied to the click that user's `/start` named, with its own match method.
extension SalesEndToEndTests.TelegramStart {
    @Test("click → /start → a PIX the bot creates with tg_user_id in the metadata: one Purchase with the click's data, matched telegram_user")
    func botPaymentMatchesTheStartClick() async throws {
        try await withSalesFixture("tgpay") { s in
            let f = s.f
            let (clickID, ip, clickPageView) = try await Self.deliveredBotClick(s)
            try await Self.withBot(s) { telegram in
                let userID: Int64 = 6_400_000_000 + Int64.random(in: 1...999_999)
                let update = telegram.startUpdate(bot: SalesFixture.bot.username, userID: userID, payload: clickID)
                let updateID = try #require(update["update_id"]?.intValue)
                #expect(try await telegram.push(bot: SalesFixture.bot.username, update: update) == 200)
                try await f.waitDelivered([Self.eventID(updateID)], pixel: SalesFixture.pixel)

                // The buyer is someone the landing page never saw (no e-mail match possible) paying from another network.
                var buyer = SalesWebhooks.Buyer.unique("bot")
                buyer.ip = "203.0.113.\(Int.random(in: 2...250))"
                let paymentID = String(Int64.random(in: 10_000_000_000...99_999_999_999))
                s.mercadoPago.setPayment(id: paymentID, json: SalesWebhooks.mercadoPagoPayment(
                    id: paymentID, buyer: buyer, clickID: nil, metadata: ["tg_user_id": String(userID)]))
                let envelope = try await s.deliverAccepted(SalesWebhooks.mercadoPagoNotification(paymentID: paymentID))
                try await s.waitProcessed([envelope])
                let purchaseID = "mercadopago.\(paymentID)"
                try await f.waitDelivered([purchaseID], pixel: SalesFixture.pixel)

                #expect(try s.matches(transaction: paymentID).map(\.method) == ["telegram_user"])
                let purchase = try SalesChecks.onePurchase(s, purchaseID)
                #expect(purchase["user_data"]?["fbc"]?.stringValue == clickPageView["user_data"]?["fbc"]?.stringValue)
                #expect(purchase["user_data"]?["client_ip_address"]?.stringValue == ip, "the click's IP, not the payer's network")
                print("[telegram payment] match=\(try s.matches(transaction: paymentID).map(\.method)) purchase=\(purchaseID)")
            }
        }
    }
}
