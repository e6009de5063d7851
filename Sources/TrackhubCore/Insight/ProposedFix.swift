/// A fix the assistant proposes, as an action the console can offer (a button or a link to
/// the page that applies it, where it can also be rolled back) with its words.
public struct ProposedFix: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// Paste a new access token for the pixel (Configurações → pixel).
        case replaceToken(pixel: String)
        /// Switch the pixel from `dry_run`/`test` to live (setup assistant, last step).
        case switchPixelToLive(pixel: String)
        /// Replay the dead letters of this reason (Fila de falhas).
        case replayDeadLetters(reason: String)
        /// Check the webhook URL and secret in the gateway (setup assistant, gateway step).
        case checkGatewayWebhook(gateway: String, account: String)
        /// Configure a gateway account (none is configured).
        case configureGateway
        /// Configure a pixel (none is configured).
        case configurePixel
        /// Check that the ads use the tracking link (setup assistant, link step).
        case checkTrackingLink
        /// Check that the landing page keeps the click id up to the checkout (setup assistant, page step).
        case checkLandingPage
        /// Hand the case to a person, with the support bundle.
        case contactSupport
    }

    public var action: Action
    public var text: InsightText

    public init(_ action: Action, _ text: InsightText) {
        self.action = action
        self.text = text
    }
}
