public import Foundation
public import TrackhubCore

/// Every step of a sale's life in each gateway's own event, for the funnel benchmark
/// (`scripts/attribution` through `trackhub-fake sign`): PIX pending then paid, refunds.
extension GatewayWebhooks {
    /// `transaction` of `gateway` at `stage`, paid by PIX when `pix` (else by card), signed
    /// with `secret`; `clickID` goes where that gateway carries it. The events are the ones
    /// each gateway sends (the fixtures in `Tests/Fixtures/<gateway>/`):
    ///
    /// | gateway | pending | approved | refunded |
    /// |---|---|---|---|
    /// | Hotmart | PURCHASE_BILLET_PRINTED (PIX: WAITING_PAYMENT) | PURCHASE_APPROVED | PURCHASE_REFUNDED |
    /// | Kiwify | pix_created / billet_created | order_approved | order_refunded |
    /// | Eduzz | myeduzz.invoice_waiting_payment | myeduzz.invoice_paid | myeduzz.invoice_refunded |
    /// | Monetizze | code 1 | code 2 | code 4 |
    /// | Stripe | checkout.session.completed, unpaid | checkout.session.completed, paid (PIX: async_payment_succeeded) | charge.refunded |
    ///
    /// Mercado Pago and Telegram have no stage here (a Mercado Pago webhook carries only the
    /// payment id): they fall back to ``sale(_:transaction:buyer:clickID:secret:account:signedAt:)``.
    public static func sale(
        _ gateway: Gateway, stage: GatewaySaleStage, pix: Bool, transaction: String, buyer: GatewayBuyer, clickID: String?,
        secret: String, account: String = "main", signedAt: Date = Date()
    ) -> GatewayDelivery {
        switch gateway {
        case .hotmart:
            let event = ["pending": "PURCHASE_BILLET_PRINTED", "approved": "PURCHASE_APPROVED", "refunded": "PURCHASE_REFUNDED"][stage.rawValue]!
            return hotmart(event: event, transaction: transaction, buyer: buyer, sck: clickID, paymentType: pix ? "PIX" : "CREDIT_CARD",
                           secret: secret, account: account)
        case .kiwify:
            let pending = pix ? "pix_created" : "billet_created"
            let event = ["pending": pending, "approved": "order_approved", "refunded": "order_refunded"][stage.rawValue]!
            return kiwify(event: event, orderID: transaction, buyer: buyer, sck: clickID, paymentMethod: pix ? "pix" : stage == .pending ? "boleto" : "credit_card",
                          secret: secret, account: account)
        case .eduzz:
            let event = ["pending": "myeduzz.invoice_waiting_payment", "approved": "myeduzz.invoice_paid",
                         "refunded": "myeduzz.invoice_refunded"][stage.rawValue]!
            return eduzz(event: event, invoiceID: transaction, buyer: buyer, utmContent: clickID, paymentMethod: pix ? "pix" : "creditCard",
                         secret: secret, account: account)
        case .monetizze:
            let code = ["pending": "1", "approved": "2", "refunded": "4"][stage.rawValue]!
            return monetizze(code: code, sale: transaction, buyer: buyer, src: clickID, formaPagamento: pix ? "Pix" : "Cartão de crédito",
                             secret: secret, account: account)
        case .stripe:
            let methods = [pix ? "pix" : "card"]
            switch stage {
            case .pending:
                return stripeCheckoutSession(type: "checkout.session.completed", paymentStatus: "unpaid", methods: methods,
                                             paymentIntent: transaction, buyer: buyer, clickID: clickID, secret: secret,
                                             signedAt: signedAt, account: account)
            case .approved:
                return stripeCheckoutSession(type: pix ? "checkout.session.async_payment_succeeded" : "checkout.session.completed",
                                             paymentStatus: "paid", methods: methods, paymentIntent: transaction, buyer: buyer,
                                             clickID: clickID, secret: secret, signedAt: signedAt, account: account)
            case .refunded:
                return stripeChargeRefunded(paymentIntent: transaction, buyer: buyer, method: methods[0], secret: secret,
                                            signedAt: signedAt, account: account)
            }
        case .mercadopago, .telegram:
            return sale(gateway, transaction: transaction, buyer: buyer, clickID: clickID, secret: secret, account: account,
                        signedAt: signedAt)
        }
    }
}
