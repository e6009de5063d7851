import Foundation
import TrackhubCore
import TrackhubTesting

/// The library's signed deliveries (`GatewayWebhooks`) with the secrets of ``SalesFixture``'s
/// configuration as defaults, so a sales test names only what it is about.
enum SalesWebhooks {
    typealias Delivery = GatewayDelivery
    typealias Buyer = GatewayBuyer

    static func hotmart(event: String = "PURCHASE_APPROVED", transaction: String, buyer: Buyer, sck: String?, src: String? = nil,
                        value: Double = 197.0, currency: String = "BRL", approvedAt: Date = Date(), sentAt: Date = Date(),
                        paymentType: String = "CREDIT_CARD", secret: String = SalesFixture.secret(.hotmart),
                        account: String = "main") -> Delivery {
        GatewayWebhooks.hotmart(event: event, transaction: transaction, buyer: buyer, sck: sck, src: src, value: value,
                                currency: currency, approvedAt: approvedAt, sentAt: sentAt, paymentType: paymentType,
                                secret: secret, account: account)
    }

    static func kiwify(event: String = "order_approved", orderID: String, buyer: Buyer, sck: String?, cents: Int = 14_790,
                       approvedAt: Date = Date(), secret: String = SalesFixture.secret(.kiwify)) -> Delivery {
        GatewayWebhooks.kiwify(event: event, orderID: orderID, buyer: buyer, sck: sck, cents: cents, approvedAt: approvedAt, secret: secret)
    }

    static func eduzz(event: String = "myeduzz.invoice_paid", invoiceID: String, buyer: Buyer, utmContent: String?,
                      value: Double = 297.9, paidAt: Date = Date(), secret: String = SalesFixture.secret(.eduzz)) -> Delivery {
        GatewayWebhooks.eduzz(event: event, invoiceID: invoiceID, buyer: buyer, utmContent: utmContent, value: value, paidAt: paidAt,
                              secret: secret)
    }

    static func monetizze(code: String = "2", sale: String, buyer: Buyer, src: String?, valor: String = "397.00",
                          finishedAt: Date = Date(), secret: String = SalesFixture.secret(.monetizze)) -> Delivery {
        GatewayWebhooks.monetizze(code: code, sale: sale, buyer: buyer, src: src, valor: valor, finishedAt: finishedAt, secret: secret)
    }

    static func stripeSigned(_ object: [String: Any], secret: String) -> Delivery {
        GatewayWebhooks.stripeSigned(object, secret: secret)
    }

    static func stripeCheckoutCompleted(paymentIntent: String, buyer: Buyer, clickID: String?, amount: Int = 19_700,
                                        created: Date = Date(), livemode: Bool = true,
                                        secret: String = SalesFixture.secret(.stripe)) -> Delivery {
        GatewayWebhooks.stripeCheckoutCompleted(paymentIntent: paymentIntent, buyer: buyer, clickID: clickID, amount: amount,
                                                created: created, livemode: livemode, secret: secret)
    }

    static func stripePaymentIntentSucceeded(paymentIntent: String, buyer: Buyer, clickID: String?, amount: Int = 19_700,
                                             created: Date = Date(), secret: String = SalesFixture.secret(.stripe)) -> Delivery {
        GatewayWebhooks.stripePaymentIntentSucceeded(paymentIntent: paymentIntent, buyer: buyer, clickID: clickID, amount: amount,
                                                     created: created, secret: secret)
    }

    static func mercadoPagoNotification(paymentID: String, secret: String = SalesFixture.secret(.mercadopago)) -> Delivery {
        GatewayWebhooks.mercadoPagoNotification(paymentID: paymentID, secret: secret)
    }

    static func mercadoPagoPayment(id: String, buyer: Buyer, clickID: String?, amount: Double = 1200.5,
                                   status: String = "approved", approvedAt: Date = Date(), metadata: [String: Any] = [:]) -> [UInt8] {
        GatewayWebhooks.mercadoPagoPayment(id: id, buyer: buyer, clickID: clickID, amount: amount, status: status, approvedAt: approvedAt,
                                           metadata: metadata)
    }
}
