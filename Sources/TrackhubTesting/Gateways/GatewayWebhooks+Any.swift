public import Foundation
public import TrackhubCore

/// One entry point over every gateway's builder, for callers that pick the gateway at run time
/// (`trackhub-fake sign`, the fault suite's load).
extension GatewayWebhooks {
    /// A paid sale `transaction` of `gateway` to `account`, signed with `secret`; `clickID` goes
    /// where that gateway carries it (for `.telegram`: a `/start <click id>` update to bot `account`). `signedAt` is the signature's time where the gateway
    /// signs one (Stripe, Mercado Pago).
    public static func sale(
        _ gateway: Gateway, transaction: String, buyer: GatewayBuyer, clickID: String?, secret: String,
        account: String = "main", signedAt: Date = Date()
    ) -> GatewayDelivery {
        switch gateway {
        case .hotmart:
            hotmart(transaction: transaction, buyer: buyer, sck: clickID, secret: secret, account: account)
        case .kiwify:
            kiwify(orderID: transaction, buyer: buyer, sck: clickID, secret: secret, account: account)
        case .eduzz:
            eduzz(invoiceID: transaction, buyer: buyer, utmContent: clickID, secret: secret, account: account)
        case .monetizze:
            monetizze(sale: transaction, buyer: buyer, src: clickID, secret: secret, account: account)
        case .stripe:
            stripeCheckoutCompleted(paymentIntent: transaction, buyer: buyer, clickID: clickID, secret: secret,
                                    signedAt: signedAt, account: account)
        case .mercadopago:
            mercadoPagoNotification(paymentID: transaction, secret: secret, account: account)
        case .telegram:
            // Not a sale: a bot's `/start <click id>` update (`transaction` is the update_id).
            telegramStart(updateID: Int(transaction) ?? abs(transaction.hashValue % 1_000_000_000), userID: 424_242,
                          payload: clickID, secret: secret, bot: account, date: Int(signedAt.timeIntervalSince1970))
        }
    }
}
