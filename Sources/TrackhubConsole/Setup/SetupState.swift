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

    public init() {}

    /// The six steps, in order.
    public static let steps = ["pixel", "test_event", "gateway", "link", "page", "go_live"]

    /// The first step not yet verified (1-based); steps after 4 are not verified by this version.
    public var currentStep: Int {
        if pixelCheckedAt == nil { return 1 }
        if testEventAt == nil { return 2 }
        if gatewayVerifiedAt == nil { return 3 }
        if linkAt == nil { return 4 }
        return 5
    }

    public func isDone(_ step: Int) -> Bool {
        switch step {
        case 1: pixelCheckedAt != nil
        case 2: testEventAt != nil
        case 3: gatewayVerifiedAt != nil
        case 4: linkAt != nil
        default: false
        }
    }
}
