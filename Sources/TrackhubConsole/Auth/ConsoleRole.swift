/// What a console user may do. Owners run the installation (users, every tenant); admins
/// configure the tenants they are given; viewers only look. Checked by ``ConsoleUser/may(_:)``
/// on every route that changes something, not only by hiding buttons.
public enum ConsoleRole: String, Sendable, CaseIterable, Comparable {
    case viewer
    case admin
    case owner

    /// Something a route does that not every role may.
    public enum Permission: Sendable {
        /// See a tenant's pages (every role, within its tenants).
        case view
        /// Change a tenant's configuration: the setup assistant, rollback, replays.
        case configure
        /// Create and change users.
        case manageUsers
        /// Read and close the support cases users open from Ajuda (the operator's side).
        case handleSupport
    }

    public func allows(_ permission: Permission) -> Bool {
        switch permission {
        case .view: true
        case .configure: self >= .admin
        case .manageUsers, .handleSupport: self == .owner
        }
    }

    public static func < (lhs: ConsoleRole, rhs: ConsoleRole) -> Bool {
        let order: [ConsoleRole] = [.viewer, .admin, .owner]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}
