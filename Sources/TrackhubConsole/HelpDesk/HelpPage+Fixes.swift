import Foundation
import Hummingbird
import Logging
import TrackhubCore

/// The help chat's fixes, applied where they were proposed. Switching a pixel to live and
/// replacing its token are configuration changes: `POST /help/fix` writes them as a new version
/// of the tenant's document (the same writer as the setup assistant and `dispatchd apply`:
/// audited, diffable, re-applied to Postgres and Redis), the token only after Graph read the
/// pixel with it; the answer offers "Desfazer", `POST /help/undo`, which puts the version before
/// it back — refused when someone changed the configuration since, so an undo never throws away
/// a change it did not make. A replay goes to the failure queue's own confirmation (it cannot be
/// undone, and Meta refuses events older than 7 days). Owners and admins only; viewers see links.
extension HelpPage {
    func registerFixes(on router: Router<ConsoleRequestContext>) {
        router.post("/help/fix") { _, context in try await applyFix(context) }
        router.post("/help/undo") { _, context in try await undo(context) }
    }

    /// How the answer offers each fix: a form that applies it in the chat, or a link.
    func fixModels(_ fixes: [ProposedFix], evidence: TroubleshootingEvidence, user: ConsoleUser,
                   _ context: ConsoleRequestContext) async throws -> [[String: Any]] {
        var documents: [String: Bool] = [:]
        var models: [[String: Any]] = []
        for fix in fixes {
            var model: [String: Any] = ["text": ConsoleInsight.text(fix.text, context.language), "path": ConsoleInsight.path(fix.action),
                                        "kind": "link"]
            switch fix.action {
            case .switchPixelToLive(let pixel), .replaceToken(let pixel):
                // Applied in the chat only where the console holds the tenant's document (a
                // tenant configured by a YAML file alone is changed in that file) and the user
                // may configure it.
                guard let tenant = evidence.pixels.first(where: { $0.id == pixel })?.tenant, user.may(.configure, tenant: tenant) else { break }
                if documents[tenant] == nil { documents[tenant] = try await deps.writer.latest(tenant: tenant) != nil }
                guard documents[tenant] == true else { break }
                model["tenant"] = tenant
                model["pixel"] = pixel
                if case .switchPixelToLive = fix.action { model["apply_live"] = true } else { model["apply_token"] = true }
                model["kind"] = "apply"
            case .replayDeadLetters(let reason):
                guard user.may(.configure) else { break }
                model["replay"] = true
                model["reason"] = reason
                model["kind"] = "replay"
            default:
                break
            }
            model["link"] = model["kind"] as? String == "link"
            models.append(model)
        }
        return models
    }

    func applyFix(_ context: ConsoleRequestContext) async throws -> Response {
        let form = context.form
        let tenant = form.trimmed("tenant")
        let pixel = form.trimmed("pixel")
        let user = try context.requireUser(.configure, tenant: tenant)
        guard var document = try await deps.writer.latest(tenant: tenant), document.tenant.pixels.contains(where: { $0.id == pixel }) else {
            return try await page(context, user: user, model: ["fix_error": text("help_fix_unknown_pixel", context, pixel)], status: .unprocessableContent)
        }
        let note: String
        let done: String
        switch form.trimmed("action") {
        case "live":
            guard document.switchPixelToLive(pixel) != nil else {
                return try await page(context, user: user, model: ["fix_error": text("help_fix_already_live", context, pixel)], status: .unprocessableContent)
            }
            note = text("help_note_live", context, pixel)
            done = text("help_fix_live_done", context, pixel)
        case "token":
            let token = form.trimmed("token")
            let retry: [String: Any] = ["tenant": tenant, "pixel": pixel]
            guard SetupPage.isPlausibleToken(token) else {
                return try await page(context, user: user, model: ["fix_error": text("setup_error_token_empty", context), "token_retry": retry],
                            status: .unprocessableContent)
            }
            switch await deps.graph.readPixel(id: pixel, token: token) {
            case .problem(let problem):
                deps.logger.notice("help token check failed", metadata: [LogKey.pixel: "\(pixel)", LogKey.metaCode: "\(problem.code ?? 0)"])
                let message = SetupPage.problemText(problem, deps.renderer.strings, context.language)
                return try await page(context, user: user, model: ["fix_error": message, "token_retry": retry], status: .unprocessableContent)
            case .found(let name, _):
                try document.setPixelToken(pixel, token: token, keys: deps.keys)
                note = text("help_note_token", context, pixel, name)
                done = text("help_fix_token_done", context, pixel, name)
            }
        default:
            throw HTTPError(.badRequest)
        }
        let version: Int
        do {
            version = try await deps.writer.write(document, note: note, user: user)
        } catch is ConfigError {
            return try await page(context, user: user, model: ["fix_error": text("setup_error_live_apply", context)], status: .unprocessableContent)
        }
        deps.logger.notice("help fix applied", metadata: [LogKey.pixel: "\(pixel)", LogKey.tenant: "\(tenant)", LogKey.version: "\(version)",
                                                          LogKey.detail: "\(form.trimmed("action"))"])
        let response = try await page(context, user: user, model: ["applied": ["text": done, "version": version, "tenant": tenant]])
        try await deps.helpDesk.record(user: user.id, author: .assistant, level: InsightLevel.ok.rawValue, body: done)
        return response
    }

    func undo(_ context: ConsoleRequestContext) async throws -> Response {
        let tenant = context.form.trimmed("tenant")
        let user = try context.requireUser(.configure, tenant: tenant)
        guard let version = Int(context.form.trimmed("version")),
              try await deps.writer.document(version: version, tenant: tenant) != nil else { throw HTTPError(.notFound) }
        let newest = try await deps.writer.versions(tenant: tenant).first?.id
        guard newest == version, let previous = try await deps.writer.previous(version: version, tenant: tenant) else {
            return try await page(context, user: user, model: ["fix_error": text("help_undo_stale", context, String(version)), "versions_tenant": tenant],
                        status: .conflict)
        }
        let note = text("help_note_undo", context, String(version))
        let restored = try await deps.writer.write(previous.document, note: note, user: user, rollbackOf: previous.id)
        deps.logger.notice("help fix undone", metadata: [LogKey.tenant: "\(tenant)", LogKey.version: "\(restored)",
                                                         LogKey.detail: "undid=\(version) restored=\(previous.id)"])
        let undone = text("help_undo_done", context, String(version), String(previous.id))
        let response = try await page(context, user: user, model: ["undone": undone])
        try await deps.helpDesk.record(user: user.id, author: .assistant, level: InsightLevel.ok.rawValue, body: undone)
        return response
    }

    func text(_ key: String, _ context: ConsoleRequestContext, _ arguments: String...) -> String {
        deps.renderer.strings.text(key, context.language, arguments: arguments)
    }
}
