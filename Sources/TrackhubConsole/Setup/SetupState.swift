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

    public init() {}

    /// The six steps, in order.
    public static let steps = ["pixel", "test_event", "gateway", "link", "page", "go_live"]

    /// The first step not yet verified (1-based); steps after 2 are not verified by this version.
    public var currentStep: Int {
        if pixelCheckedAt == nil { return 1 }
        if testEventAt == nil { return 2 }
        return 3
    }

    public func isDone(_ step: Int) -> Bool {
        switch step {
        case 1: pixelCheckedAt != nil
        case 2: testEventAt != nil
        default: false
        }
    }
}
