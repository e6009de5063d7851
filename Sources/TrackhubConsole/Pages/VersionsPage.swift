import Foundation
import Hummingbird
import Logging
import HTTPTypes
import NIOCore
import TrackhubCore

/// `/settings/versions`: every version of a tenant's configuration the console wrote, what each
/// changed (a diff of the YAML `dispatchd apply` reads), one-click rollback to any of them (a new
/// version with the old content), and the YAML export.
struct VersionsPage: ConsolePage {
    static let navigation: ConsoleNavItem? = ConsoleNavItem(labelKey: "nav_versions", path: "/settings/versions", order: 90)
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/settings/versions") { request, context in try await list(request, context) }
        router.get("/settings/versions/:id") { request, context in try await diff(request, context) }
        router.post("/settings/versions/:id/rollback") { _, context in try await rollback(context) }
        router.get("/settings/export") { request, context in try await export(request, context) }
    }

    /// The tenant the request names (or the only one the user sees), checked against the user.
    func tenant(_ requested: String?, _ context: ConsoleRequestContext) async throws -> String? {
        let user = try context.requireUser(.view)
        if let requested, !requested.isEmpty {
            guard user.canSee(tenant: requested) else { throw ConsoleDenied.forbidden }
            return requested
        }
        let visible = try await deps.store.tenants().map(\.id).filter(user.canSee(tenant:))
        return visible.count == 1 ? visible[0] : nil
    }

    func list(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let user = try context.requireUser(.view)
        let tenants = try await deps.store.tenants().filter { user.canSee(tenant: $0.id) }
        let tenant = try await tenant(request.uri.queryParameters["tenant"].map(String.init), context)
        var versions: [ConsoleConfigWriter.Version] = []
        if let tenant { versions = try await deps.writer.versions(tenant: tenant) }
        let language = context.language
        let newest = versions.first?.id
        let rows: [[String: Any]] = versions.map { version in
            let when = ConsoleFormat.dateTime(Date(timeIntervalSince1970: version.createdAt), language)
            let row: [String: Any] = ["id": version.id, "when": when, "login": version.login, "note": version.note,
                                      "current": version.id == newest]
            return row
        }
        let pickers: [[String: Any]] = tenants.map { item in
            let row: [String: Any] = ["id": item.id, "name": item.name.isEmpty ? item.id : item.name, "selected": item.id == tenant]
            return row
        }
        var model: [String: Any] = ["tenant_id": tenant ?? "", "has_tenant": tenant != nil]
        model["tenants"] = pickers
        model["has_versions"] = !versions.isEmpty
        model["can_configure"] = tenant.map { user.may(.configure, tenant: $0) } ?? false
        model["versions"] = rows
        return deps.renderer.page("versions", titleKey: "versions_title", context: context, path: "/settings/versions", model: model)
    }

    func diff(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int.self),
              let tenant = try await tenant(request.uri.queryParameters["tenant"].map(String.init), context),
              let document = try await deps.writer.document(version: id, tenant: tenant) else { throw HTTPError(.notFound) }
        let before = try await deps.writer.previous(version: id, tenant: tenant)
        let lines = ConfigDiff.lines(old: try before?.document.yamlText() ?? "", new: try document.yamlText())
        let model: [String: Any] = [
            "id": id, "tenant_id": tenant,
            "lines": lines.map { line -> [String: Any] in
                switch line {
                case .same(let text): ["text": "  " + text, "kind": "same"]
                case .added(let text): ["text": "+ " + text, "kind": "added"]
                case .removed(let text): ["text": "- " + text, "kind": "removed"]
                }
            },
        ]
        return deps.renderer.page("version", titleKey: "versions_diff_title", context: context, path: "/settings/versions", model: model)
    }

    func rollback(_ context: ConsoleRequestContext) async throws -> Response {
        let tenant = context.form.trimmed("tenant")
        let user = try context.requireUser(.configure, tenant: tenant)
        guard let id = context.parameters.get("id", as: Int.self),
              let document = try await deps.writer.document(version: id, tenant: tenant) else { throw HTTPError(.notFound) }
        let note = deps.renderer.strings.text("versions_rollback_note", context.language, String(id))
        try await deps.writer.write(document, note: note, user: user, rollbackOf: id)
        deps.logger.notice("console rollback", metadata: [LogKey.tenant: "\(tenant)", LogKey.version: "\(id)"])
        return ConsoleRenderer.redirect("/settings/versions?tenant=" + tenant)
    }

    func export(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        guard let tenant = try await tenant(request.uri.queryParameters["tenant"].map(String.init), context),
              let document = try await deps.writer.latest(tenant: tenant) else { throw HTTPError(.notFound) }
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"trackhub-\(tenant).yaml\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try document.yamlText())))
    }
}
