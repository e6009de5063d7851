/// Where a sale is in its life when the gateway tells us about it. Lets a caller play a whole
/// story — a PIX generated and then paid, a sale refunded days later — with the gateway's own
/// event for each step (``GatewayWebhooks/sale(_:stage:pix:transaction:buyer:clickID:secret:account:signedAt:)``).
public enum GatewaySaleStage: String, Sendable, CaseIterable, Codable {
    /// Waiting for payment (a PIX code or boleto was generated): no Purchase yet.
    case pending
    /// Paid: the Purchase.
    case approved
    /// Paid, then refunded in full.
    case refunded
}
