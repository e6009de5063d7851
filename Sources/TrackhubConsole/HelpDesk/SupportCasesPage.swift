import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TrackhubCore

/// The operator's side of Ajuda's human fallback: `GET /help/cases` lists the support cases
/// (open first), `GET /help/cases/{id}` shows one — who asked, for which clients, the
/// conversation, whether the Telegram notice arrived — with its redacted bundle
/// (`GET /help/cases/{id}/bundle`, also for the user who opened it) and `POST …/close`.
/// Owners only (``ConsoleRole/Permission/handleSupport``): a case may span every client.
struct SupportCasesPage: ConsolePage {
    static let navigation: ConsoleNavItem? = nil
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    /// Cases listed on one page.
    static let listed = 100

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/help/cases") { _, context in try await list(context) }
        router.get("/help/cases/:id") { _, context in try await show(context) }
        router.get("/help/cases/:id/bundle") { _, context in try await bundle(context) }
        router.post("/help/cases/:id/close") { _, context in try await close(context) }
    }

    func list(_ context: ConsoleRequestContext) async throws -> Response {
        _ = try context.requireUser(.handleSupport)
        let cases = try await deps.helpDesk.cases(limit: Self.listed)
        let language = context.language
        let rows: [[String: Any]] = cases.map { c in
            ["id": c.id, "who": c.userName, "tenants": c.tenants.isEmpty ? text("cases_all_tenants", context) : c.tenants.joined(separator: ", "),
             "summary": c.summary.isEmpty ? "—" : c.summary, "when": ConsoleFormat.dateTime(c.openedAt, language),
             "open": c.status == .open, "status": text("cases_status_" + c.status.rawValue, context)]
        }
        return deps.renderer.page("support-cases", titleKey: "cases_title", context: context, path: "/help",
                                  model: ["cases": rows, "has_cases": !rows.isEmpty])
    }

    func show(_ context: ConsoleRequestContext) async throws -> Response {
        _ = try context.requireUser(.handleSupport)
        guard let id = context.parameters.get("id").flatMap(Int.init), let c = try await deps.helpDesk.find(id: id) else {
            throw HTTPError(.notFound)
        }
        let language = context.language
        var problem: Any = false
        if case .failed(let why) = c.notice { problem = why }
        let model: [String: Any] = [
            "id": c.id, "who": c.userName,
            "tenants": c.tenants.isEmpty ? text("cases_all_tenants", context) : c.tenants.joined(separator: ", "),
            "when": ConsoleFormat.dateTime(c.openedAt, language), "open": c.status == .open,
            "status": text("cases_status_" + c.status.rawValue, context),
            "closed_at": c.closedAt.map { ConsoleFormat.dateTime($0, language) } ?? false,
            "notice": text("cases_notice_" + c.notice.name, context),
            "notice_problem": problem,
            "conversation": c.conversation.map { m -> [String: Any] in
                ["class": m.author == .user ? "msg-user" : "msg-bot", "body": m.body, "when": ConsoleFormat.dateTime(m.at, language)]
            },
            "has_conversation": !c.conversation.isEmpty,
        ]
        return deps.renderer.page("support-case", titleKey: "cases_title", context: context, path: "/help", model: model)
    }

    /// The case's bundle as a download: for owners, and for the user who opened the case.
    func bundle(_ context: ConsoleRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard let id = context.parameters.get("id").flatMap(Int.init), let c = try await deps.helpDesk.find(id: id) else {
            throw HTTPError(.notFound)
        }
        guard user.may(.handleSupport) || c.userID == user.id else { throw ConsoleDenied.forbidden }
        guard let json = try await deps.helpDesk.bundle(case: id) else { throw HTTPError(.notFound) }
        try await deps.store.audit(actor: user, tenant: nil, action: "support.bundle", summary: "support bundle of case \(id) downloaded")
        var headers = HTTPFields()
        headers[.contentType] = SupportBundle.contentType
        headers[.contentDisposition] = "attachment; filename=\"trackhub-suporte-caso-\(id).json\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    func close(_ context: ConsoleRequestContext) async throws -> Response {
        let user = try context.requireUser(.handleSupport)
        guard let id = context.parameters.get("id").flatMap(Int.init) else { throw HTTPError(.notFound) }
        if try await deps.helpDesk.close(case: id, by: user.id) {
            try await deps.store.audit(actor: user, tenant: nil, action: "support.close", summary: "support case \(id) closed")
        }
        return Response(status: .seeOther, headers: [.location: "/help/cases/\(id)"])
    }

    func text(_ key: String, _ context: ConsoleRequestContext, _ arguments: String...) -> String {
        deps.renderer.strings.text(key, context.language, arguments: arguments)
    }
}
