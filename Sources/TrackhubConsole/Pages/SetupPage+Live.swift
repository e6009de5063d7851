import Foundation
import Hummingbird
import Logging
import TrackhubCore

/// Step 6, go live: a summary of what will be sent (the pixel, each gateway's sales and the
/// event they become, the links, the page events), then — behind an explicit confirmation, for
/// owners and admins only — the pixel switches from `test` to `live` through the tenant's
/// configuration document: a new version (diff, rollback, audit row), applied exactly as
/// `dispatchd apply` applies a file. Rolling that version back puts the pixel in test again.
extension SetupPage {
    func registerLive(on router: Router<ConsoleRequestContext>) {
        router.post("/setup/live") { _, context in try await goLive(context) }
    }

    func goLive(_ context: ConsoleRequestContext) async throws -> Response {
        let form = context.form
        let tenantID = form.trimmed("tenant")
        let user = try context.requireUser(.configure, tenant: tenantID)
        guard var state = try await deps.setup.open(tenant: tenantID)?.state, state.pageCheckedAt != nil, let pixelID = state.pixelID,
              var document = try await deps.writer.latest(tenant: tenantID),
              document.tenant.pixels.contains(where: { $0.id == pixelID }) else {
            return ConsoleRenderer.redirect("/setup?tenant=" + tenantID)
        }
        guard form.trimmed("confirm") == "yes" else {
            return try await show(context, tenant: tenantID, error: text("setup_error_live_confirm", context), typed: ["live": "1"],
                                  status: .unprocessableContent)
        }
        guard let before = document.switchPixelToLive(pixelID) else { return ConsoleRenderer.redirect("/setup?tenant=" + tenantID) }
        let version: Int
        do {
            version = try await deps.writer.write(document, note: text("setup_note_live", context, pixelID), user: user)
        } catch is ConfigError {
            return try await show(context, tenant: tenantID, error: text("setup_error_live_apply", context), typed: ["live": "1"],
                                  status: .unprocessableContent)
        }
        state.liveAt = Date().timeIntervalSince1970
        state.liveVersion = version
        let session = try await deps.setup.save(tenant: tenantID, userID: user.id, state: state)
        try await deps.setup.action(session: session, step: 6, action: "pixel.live", outcome: "applied",
                                    detail: ["pixel": pixelID, "from": before, "version": String(version)])
        try await deps.setup.message(session: session, author: "assistant", step: 6, text("setup_live_done", context, state.pixelName ?? pixelID))
        deps.logger.notice("setup pixel live", metadata: [LogKey.pixel: "\(pixelID)", LogKey.tenant: "\(tenantID)", "config.version": "\(version)"])
        return ConsoleRenderer.redirect("/setup?tenant=" + tenantID)
    }

    /// What going live sends, read from the tenant's current document.
    func liveModel(_ document: TenantConfigDocument, state: SetupState, context: ConsoleRequestContext) -> [String: Any]? {
        guard let pixelID = state.pixelID, let pixel = document.tenant.pixels.first(where: { $0.id == pixelID }) else { return nil }
        let mode = pixel.mode ?? PixelMode.dryRun.rawValue
        let gateways: [[String: Any]] = document.tenant.gatewayAccounts.map { account in
            let settings = account.settings?.objectValue ?? [:]
            var events = [text("live_sale_approved", context, settings["approved_event"]?.stringValue ?? CAPIEventName.purchase.rawValue)]
            for (key, label) in [("pending_event", "live_sale_pending"), ("refund_event", "live_sale_refund"),
                                 ("chargeback_event", "live_sale_chargeback")] {
                if let name = settings[key]?.stringValue { events.append(text(label, context, name)) }
            }
            let name = Gateway(rawValue: account.gateway).map(SetupGateways.name) ?? account.gateway
            return ["name": name, "account": account.account, "events": events.joined(separator: " · ")]
        }
        let links: [[String: Any]] = document.tenant.links.map { link in
            ["slug": link.slug, "url": SetupGateways.adsURL(ingest: deps.configuration.ingestURL, slug: link.slug)]
        }
        let pageEvents = (pixel.events ?? PixelEventCatalog.allNames).compactMap { name -> String? in
            guard let meta = PixelEventCatalog.metaNames[name] else { return nil }
            return meta == PixelEventCatalog.ownName ? text("live_custom_events", context) : meta
        }
        let modeKey = "live_mode_" + mode
        return [
            "pixel_name": state.pixelName ?? pixelID, "pixel_id": pixelID, "mode": text(modeKey, context), "is_live": mode == PixelMode.live.rawValue,
            "test_code": pixel.testEventCode ?? "", "has_test_code": pixel.testEventCode != nil,
            "gateways": gateways, "has_gateways": !gateways.isEmpty, "links": links, "has_links": !links.isEmpty,
            "page_events": Array(Set(pageEvents)).sorted().joined(separator: ", "),
            "clicks_as_pageview": pixel.sendClickAsPageview == true,
            "live_since": state.liveAt.map { ConsoleFormat.dateTime(Date(timeIntervalSince1970: $0), context.language) } ?? "",
        ]
    }
}
