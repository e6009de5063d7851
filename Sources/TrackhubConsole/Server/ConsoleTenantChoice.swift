/// Which tenant a per-tenant page (Números, Vendas, Alertas) shows: the one asked for, when the
/// user may see it (403 otherwise), else the first the user sees; and the picker's options.
/// One rule, so no page can show a tenant its user may not see.
struct ConsoleTenantChoice: Sendable {
    let id: String
    let name: String
    /// The tenants the user may see, in the store's order.
    let visible: [(id: String, name: String)]

    /// nil when the user sees no tenant at all.
    static func make(_ picked: String?, _ context: ConsoleRequestContext, store: ConsoleStore) async throws -> ConsoleTenantChoice? {
        let user = try context.requireUser()
        let visible = try await store.tenants().filter { user.canSee(tenant: $0.id) }
        if let picked, !picked.isEmpty, !visible.contains(where: { $0.id == picked }) { throw ConsoleDenied.forbidden }
        guard let chosen = visible.first(where: { $0.id == picked }) ?? visible.first else { return nil }
        return ConsoleTenantChoice(id: chosen.id, name: chosen.name.isEmpty ? chosen.id : chosen.name, visible: visible)
    }

    /// The template keys of the tenant picker: `tenant`, `has_tenants`, `tenants`.
    var model: [String: Any] {
        ["tenant": id, "has_tenants": visible.count > 1,
         "tenants": visible.map { ["id": $0.id, "name": $0.name.isEmpty ? $0.id : $0.name, "selected": $0.id == id] as [String: Any] }]
    }
}
