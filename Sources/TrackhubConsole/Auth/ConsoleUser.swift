/// A console user as the pages see it: who, which role, and which tenants (an agency's user may
/// see several clients; an owner sees all). Tenant scoping is decided here, once, so every query
/// a page runs is given ``visibleTenants(among:)`` rather than re-deciding it.
public struct ConsoleUser: Sendable, Equatable {
    public let id: Int
    public let login: String
    public let displayName: String
    public let role: ConsoleRole
    public let allTenants: Bool
    public let tenants: [String]
    public let language: ConsoleLanguage

    public init(id: Int, login: String, displayName: String, role: ConsoleRole, allTenants: Bool, tenants: [String],
                language: ConsoleLanguage = .portuguese) {
        self.id = id
        self.login = login
        self.displayName = displayName
        self.role = role
        self.allTenants = allTenants || role == .owner
        self.tenants = tenants
        self.language = language
    }

    /// Whether the user may see `tenant` at all.
    public func canSee(tenant: String) -> Bool { allTenants || tenants.contains(tenant) }

    /// Whether the user may do `permission` on `tenant`.
    public func may(_ permission: ConsoleRole.Permission, tenant: String? = nil) -> Bool {
        guard role.allows(permission) else { return false }
        guard let tenant else { return true }
        return canSee(tenant: tenant)
    }

    /// The tenants of `all` this user may see, in their order.
    public func visibleTenants(among all: [String]) -> [String] { all.filter(canSee(tenant:)) }

    /// The name a page greets: the display name, else the login.
    public var greetingName: String { displayName.isEmpty ? login : displayName }
}
