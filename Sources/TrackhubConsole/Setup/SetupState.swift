/// What the setup assistant has verified for one tenant, kept in `setup_sessions.state` so a
/// setup can be left and resumed. Evidence only (names, ids, counts, times): never a secret.
public struct SetupState: Sendable, Equatable, Codable {
    public var pixelID: String?
    public var pixelName: String?
    public var pixelCheckedAt: Double?
    public var testEventCode: String?
    public var testEventsReceived: Int?
    public var testEventTrace: String?
    public var testEventAt: Double?
    /// Step 3: the gateway account configured (`gateway`, `account`), when its secret was
    /// saved (deliveries from then on count), and when a delivery arrived and authenticated.
    public var gateway: String?
    public var gatewayAccount: String?
    public var gatewaySecretAt: Double?
    public var gatewayVerifiedAt: Double?
    /// The last refused delivery already logged as an action (each refusal is logged once).
    public var gatewayRefusedAt: Double?
    /// Step 4: the tracking link created (its slug) and when.
    public var linkSlug: String?
    public var linkAt: Double?
    /// Step 5: the last landing-page check (its evidence), and when a check last passed.
    public var pageCheck: PageCheckReport?
    public var pageCheckedAt: Double?
    /// Step 6: when the pixel was switched to live, and the configuration version that did it.
    public var liveAt: Double?
    public var liveVersion: Int?

    public init() {}

    /// The six steps, in order.
    public static let steps = ["pixel", "test_event", "gateway", "link", "page", "go_live"]

    /// The first step not yet done (1-based); 7 once the pixel went live.
    public var currentStep: Int {
        if pixelCheckedAt == nil { return 1 }
        if testEventAt == nil { return 2 }
        if gatewayVerifiedAt == nil { return 3 }
        if linkAt == nil { return 4 }
        if pageCheckedAt == nil { return 5 }
        if liveAt == nil { return 6 }
        return 7
    }

    public func isDone(_ step: Int) -> Bool {
        switch step {
        case 1: pixelCheckedAt != nil
        case 2: testEventAt != nil
        case 3: gatewayVerifiedAt != nil
        case 4: linkAt != nil
        case 5: pageCheckedAt != nil
        case 6: liveAt != nil
        default: false
        }
    }
}
