import Foundation
import Hummingbird
import Logging
import NIOCore
import TrackhubCore

/// Privacidade (LGPD): a seller answering a data subject's request (LGPD art. 18) for one
/// person of one tenant, with the same core as `dispatchd privacy` (``PersonalDataDesk``).
///
/// `GET /privacy?tenant=` shows the form. Everything else is a POST, so the identifiers travel
/// only in request bodies (never in a URL, a log or an audit row): `/privacy/search` counts what
/// Trackhub holds per place (``PrivacyFootprintModel``), `/privacy/export` downloads the export
/// document, `/privacy/erase` first repeats what will be erased and asks for the confirmation
/// word, then erases and shows the counts. Admins and owners of the tenant only: a viewer sees
/// the page without the form, and each POST refuses them (403).
struct PrivacyPage: ConsolePage {
    static let navigation: ConsoleNavItem? = ConsoleNavItem(labelKey: "nav_privacy", path: "/privacy", order: 80)
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/privacy") { request, context in
            let user = try context.requireUser()
            guard let t = try await ConsoleTenantChoice.make(request.uri.queryParameters["tenant"].map(String.init), context, store: deps.store) else {
                return deps.renderer.page("privacy", titleKey: "privacy_title", context: context, path: "/privacy", model: ["no_tenant": true])
            }
            return page(t, user: user, form: PrivacyRequestForm(), context)
        }
        router.post("/privacy/search") { _, context in try await search(context) }
        router.post("/privacy/export") { _, context in try await export(context) }
        router.post("/privacy/erase") { _, context in try await erase(context) }
    }

    /// One POST of the page: the tenant and user (403 unless the user configures that tenant),
    /// the form checked before anything is searched, and a refusal of the core shown on its
    /// field — then `body` with the subject builder of the checked form.
    func request(_ context: ConsoleRequestContext,
                 _ body: (ConsoleTenantChoice, ConsoleUser, PrivacyRequestForm, @escaping PersonalDataDesk.SubjectBuilder) async throws -> Response)
        async throws -> Response {
        let user = try context.requireUser()
        guard let t = try await ConsoleTenantChoice.make(context.form.trimmed("tenant"), context, store: deps.store) else {
            throw ConsoleDenied.forbidden
        }
        guard user.may(.configure, tenant: t.id) else { throw ConsoleDenied.forbidden }
        let form = PrivacyRequestForm(context.form)
        if !form.problems.isEmpty { return page(t, user: user, form: form, problems: form.problems, context, status: .badRequest) }
        let tenant = t.id
        do {
            return try await body(t, user, form) { normalizer in try form.subject(tenant: tenant, normalizer: normalizer) }
        } catch let invalid as ErasureSubject.Invalid {
            return page(t, user: user, form: form, problems: [PrivacyRequestForm.problem(for: invalid)], context, status: .badRequest)
        }
    }

    func search(_ context: ConsoleRequestContext) async throws -> Response {
        try await request(context) { t, user, form, subject in
            let found = try await deps.privacy.footprint(tenant: t.id, subject)
            let model = PrivacyFootprintModel(footprint: found.footprint, waiting: found.waiting)
            try await deps.store.audit(actor: user, tenant: t.id, action: "privacy.search",
                                       summary: "searched by \(form.filled.map(\.rawValue).joined(separator: ", ")): \(model.total) rows found")
            deps.logger.notice("console privacy search", metadata: [LogKey.tenant: "\(t.id)", LogKey.count: "\(model.total)"])
            return page(t, user: user, form: form, found: model, context)
        }
    }

    func export(_ context: ConsoleRequestContext) async throws -> Response {
        try await request(context) { t, user, form, subject in
            let document = try await deps.privacy.export(tenant: t.id, requestedBy: "console:" + user.login, subject)
            try await deps.store.audit(actor: user, tenant: t.id, action: "privacy.export",
                                       summary: "exported one person's data (searched by \(form.filled.map(\.rawValue).joined(separator: ", ")))")
            deps.logger.notice("console privacy export", metadata: [LogKey.tenant: "\(t.id)"])
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.cacheControl] = "no-store"
            headers[.contentDisposition] = "attachment; filename=\"\(Self.exportFileName(tenant: t.id, at: Date()))\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document)))
        }
    }

    /// `lgpd-<tenant>-<UTC time>.json`: the tenant id is a slug (letters, digits, `-`, `_`), so
    /// the header needs no quoting beyond the quotes; anything else is replaced.
    static func exportFileName(tenant: String, at date: Date) -> String {
        let safe = String(tenant.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
        let stamp = ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withYear, .withMonth, .withDay, .withTime])
        return "lgpd-\(safe)-\(stamp).json"
    }

    func erase(_ context: ConsoleRequestContext) async throws -> Response {
        let language = context.language
        return try await request(context) { t, user, form, subject in
            let typed = context.form["confirm_word"]
            guard let typed, Self.confirms(typed) else {
                // The first step (or a wrong word): what will be erased, counted now, and the word to type.
                let found = try await deps.privacy.footprint(tenant: t.id, subject)
                let model = PrivacyFootprintModel(footprint: found.footprint, waiting: found.waiting)
                return deps.renderer.page("privacy-confirm", titleKey: "privacy_confirm_title", context: context, path: "/privacy", model: [
                    "tenant": t.id, "tenant_name": t.name, "rows": model.rows(language), "total": ConsoleFormat.integer(model.total, language),
                    "identifiers": form.hiddenFields, "wrong_word": typed != nil,
                    "word": deps.renderer.strings.text("privacy_confirm_word", language),
                ])
            }
            let report: PersonalDataEraser.Report
            do {
                report = try await deps.privacy.erase(tenant: t.id, requestedBy: "console:" + user.login, drainTimeout: deps.configuration.privacyDrainTimeout, subject)
            } catch is StreamDrain.NotDrained {
                deps.logger.warning("console privacy erase not drained", metadata: [LogKey.tenant: "\(t.id)"])
                let problem = PrivacyRequestForm.Problem(field: nil, text: InsightText(
                    "Ainda há eventos recebidos antes do pedido esperando processamento (o dispatchd está rodando?). Nada foi apagado: tente de novo em alguns minutos.",
                    en: "Events received before the request are still waiting to be processed (is dispatchd running?). Nothing was erased: try again in a few minutes."))
                return page(t, user: user, form: form, problems: [problem], context, status: .serviceUnavailable)
            }
            let model = PrivacyFootprintModel(counts: report.counts)
            try await deps.store.audit(actor: user, tenant: t.id, action: "privacy.erase",
                                       summary: "privacy request #\(report.requestID): \(model.auditSummary)")
            deps.logger.notice("console privacy erase", metadata: [LogKey.tenant: "\(t.id)", LogKey.requestID: "\(report.requestID)",
                                                                  LogKey.count: "\(model.total)"])
            return page(t, user: user, form: form, erased: (report.requestID, model), context)
        }
    }

    /// The confirmation word in either language, in any case.
    static func confirms(_ typed: String) -> Bool {
        ["apagar", "erase"].contains(typed.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
    }

    func page(_ t: ConsoleTenantChoice, user: ConsoleUser, form: PrivacyRequestForm, problems: [PrivacyRequestForm.Problem] = [],
              found: PrivacyFootprintModel? = nil, erased: (id: Int, counts: PrivacyFootprintModel)? = nil,
              _ context: ConsoleRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        let language = context.language
        var model = t.model
        model["tenant_name"] = t.name
        model["may_act"] = user.may(.configure, tenant: t.id)
        for field in PrivacyRequestForm.Field.allCases {
            model["value_" + field.rawValue] = form.value(field)
            let problem = problems.first { $0.field == field }
            model["problem_" + field.rawValue] = problem.map { ConsoleInsight.text($0.text, language) } ?? false
        }
        let general = problems.filter { $0.field == nil }.map { ConsoleInsight.text($0.text, language) }
        // Field problems are shown under their fields; the box above the form says where to look.
        model["problems"] = general.isEmpty ? [deps.renderer.strings.text("privacy_fix", language)] : general
        model["has_problems"] = !problems.isEmpty
        if let found {
            model["found"] = ["rows": found.rows(language), "total": ConsoleFormat.integer(found.total, language),
                              "nothing": found.total == 0, "identifiers": form.hiddenFields] as [String: Any]
        }
        if let erased {
            model["erased"] = ["request": erased.id, "rows": erased.counts.rows(language),
                               "total": ConsoleFormat.integer(erased.counts.total, language)] as [String: Any]
        }
        return deps.renderer.page("privacy", titleKey: "privacy_title", context: context, path: "/privacy", model: model, status: status)
    }
}
