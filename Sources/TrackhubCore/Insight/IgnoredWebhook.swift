public import Foundation

/// A gateway webhook that was authenticated and stored but did not become a sale event: an
/// event type Trackhub does not send, a test delivery, or a body that could not be parsed.
/// Read from `webhook_inbox.outcome` (`ignored: <reason>`, `dead_lettered: <reason>`).
public struct IgnoredWebhook: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// Deliberately not acted on (an event or status Trackhub does not send).
        case ignored
        /// Could not be parsed: in the failure queue, replayable after a fix.
        case deadLettered = "dead_lettered"
    }

    public var envelopeID: String
    public var gateway: String
    public var account: String
    public var tenant: String?
    public var receivedAt: Date
    public var kind: Kind
    /// The parser's reason, as recorded.
    public var reason: String

    public init(envelopeID: String, gateway: String, account: String, tenant: String?, receivedAt: Date, kind: Kind, reason: String) {
        self.envelopeID = envelopeID; self.gateway = gateway; self.account = account; self.tenant = tenant
        self.receivedAt = receivedAt; self.kind = kind; self.reason = reason
    }

    /// Splits an inbox outcome into kind and reason; nil for outcomes that are not "ignored"
    /// (`conversion approved`, …).
    public static func parseOutcome(_ outcome: String) -> (kind: Kind, reason: String)? {
        for kind in [Kind.ignored, .deadLettered] where outcome.hasPrefix(kind.rawValue) {
            var rest = outcome.dropFirst(kind.rawValue.count)
            if rest.first == ":" { rest = rest.dropFirst() }
            return (kind, String(rest.drop { $0 == " " }))
        }
        return nil
    }

    /// What it means, in words.
    public var explanation: InsightText {
        switch kind {
        case .ignored:
            InsightText("Recebido e guardado, mas não é um evento que o Trackhub envia ao Meta (\(reason)).",
                        en: "Received and stored, but not an event Trackhub sends to Meta (\(reason)).")
        case .deadLettered:
            InsightText("Recebido, mas não foi possível ler a venda (\(reason)). Está na fila de falhas.",
                        en: "Received, but the sale could not be read (\(reason)). It is in the failure queue.")
        }
    }
}
