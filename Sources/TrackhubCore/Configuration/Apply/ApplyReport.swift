/// What `dispatchd apply` changed: counts per kind, each change by name, and the pixels whose
/// access token is new (their pause and parked events can be released). Holds no secret.
public struct ApplyReport: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case tenant
        case pixel
        case link
        case gatewayAccount = "gateway_account"
    }

    public enum Action: String, Sendable {
        case created
        case updated
        /// Pixels and gateway accounts: deleted. Links: deactivated (`links.active = false`).
        case removed
    }

    public struct Counts: Sendable, Equatable, CustomStringConvertible {
        public var created = 0
        public var updated = 0
        public var unchanged = 0
        public var removed = 0

        public init(created: Int = 0, updated: Int = 0, unchanged: Int = 0, removed: Int = 0) {
            self.created = created
            self.updated = updated
            self.unchanged = unchanged
            self.removed = removed
        }

        public var changed: Int { created + updated + removed }

        public var description: String {
            "\(created) created, \(updated) updated, \(unchanged) unchanged, \(removed) removed"
        }
    }

    /// One row that changed: `link bot removed`, `gateway_account hotmart/main created`.
    public struct Change: Sendable, Equatable, CustomStringConvertible {
        public var kind: Kind
        /// Tenant id, pixel id, link slug, or `gateway/account`.
        public var key: String
        public var action: Action

        /// `link bot deactivated`, `pixel 123 created`, `gateway_account stripe/main removed`.
        public var description: String {
            "\(kind.rawValue) \(key) \(kind == .link && action == .removed ? "deactivated" : action.rawValue)"
        }
    }

    public var tenants = Counts()
    public var pixels = Counts()
    public var links = Counts()
    public var gatewayAccounts = Counts()
    /// Every created, updated or removed row, in the order they were written.
    public var changes: [Change] = []
    /// Pixels whose stored access token is new — created, or the token changed — sorted. The
    /// caller (`dispatchd apply`) releases them: lifts their pause and reschedules their parked
    /// events, so a pixel paused for an invalid token resumes when apply brings a new one.
    public var newTokenPixels: [String] = []
    /// The file's warnings (it had no errors, or it would not have been applied).
    public var warnings: [ConfigProblem] = []

    public init() {}

    public func counts(_ kind: Kind) -> Counts {
        switch kind {
        case .tenant: tenants
        case .pixel: pixels
        case .link: links
        case .gatewayAccount: gatewayAccounts
        }
    }

    /// True when applying changed nothing (a repeated apply of the same file).
    public var isUnchanged: Bool { changes.isEmpty }

    mutating func record(_ kind: Kind, _ key: String, _ action: Action?) {
        switch action {
        case .created?: update(kind) { $0.created += 1 }
        case .updated?: update(kind) { $0.updated += 1 }
        case .removed?: update(kind) { $0.removed += 1 }
        case nil: update(kind) { $0.unchanged += 1 }
        }
        if let action { changes.append(Change(kind: kind, key: key, action: action)) }
    }

    private mutating func update(_ kind: Kind, _ body: (inout Counts) -> Void) {
        switch kind {
        case .tenant: body(&tenants)
        case .pixel: body(&pixels)
        case .link: body(&links)
        case .gatewayAccount: body(&gatewayAccounts)
        }
    }

    public var description: String {
        var lines = [
            "tenants: \(tenants)",
            "pixels: \(pixels)",
            "links: \(links)",
            "gateway accounts: \(gatewayAccounts)",
        ]
        if !newTokenPixels.isEmpty { lines.append("new access token: \(newTokenPixels.joined(separator: ", "))") }
        lines += changes.map { "  \($0)" }
        lines += warnings.map { "  \($0)" }
        return lines.joined(separator: "\n")
    }
}
