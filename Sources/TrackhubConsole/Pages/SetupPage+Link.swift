import Foundation
import Hummingbird
import Logging
import TrackhubCore

/// Step 4 creates the tracking link (a checkout of the step-3 gateway, the
/// seller's landing page, or a pool of Telegram bots) through the tenant's configuration
/// document, and shows the URL for the ads with a preview of the redirect ingestd will build
/// (``DestinationURLBuilder``, the same code `/go` runs) and the parameter that carries the
/// click id.
extension SetupPage {
    /// The `utm_*` Meta fills at click time, as BR sellers write them (reference §2.6).
    static let adsURLParameters =
        "utm_source=FB&utm_campaign={{campaign.name}}|{{campaign.id}}&utm_medium={{adset.name}}|{{adset.id}}&utm_content={{ad.name}}|{{ad.id}}&utm_term={{placement}}"
    /// The parameter a landing-page link puts the click id in (`/t.js` reads it).
    static let pageClickParameter = "th_cid"

    func registerLink(on router: Router<ConsoleRequestContext>) {
        router.post("/setup/link") { _, context in try await saveLink(context) }
    }

    // MARK: Step 4

    func saveLink(_ context: ConsoleRequestContext) async throws -> Response {
        let form = context.form
        let tenantID = form.trimmed("tenant")
        let user = try context.requireUser(.configure, tenant: tenantID)
        guard var state = try await deps.setup.open(tenant: tenantID)?.state, state.gatewayVerifiedAt != nil,
              let pixelID = state.pixelID, var document = try await deps.writer.latest(tenant: tenantID) else {
            return ConsoleRenderer.redirect("/setup?tenant=" + tenantID)
        }
        let kind = form.trimmed("kind")
        let name = form.trimmed("name")
        let url = form.trimmed("url")
        let bots = form.trimmed("bots")
        let typed = ["link_kind": kind, "link_name": name, "link_url": url, "link_bots": bots]
        let failed: (String) async throws -> Response = { key in
            try await show(context, tenant: tenantID, error: text(key, context), typed: typed, status: .unprocessableContent)
        }
        let slug = Self.slug(tenantID + " " + (name.isEmpty ? kind : name))
        guard !name.isEmpty, !slug.isEmpty else { return try await failed("setup_error_link_name") }
        let destination: LinkDestination
        switch kind {
        case "checkout":
            switch state.gateway.flatMap(Gateway.init(rawValue:)) {
            case .hotmart?: destination = .hotmart(url: url, alsoSrc: true)
            case .kiwify?: destination = .kiwify(url: url)
            default: return try await failed("setup_error_link_checkout_gateway")
            }
        case "page":
            destination = .generic(url: url, parameter: Self.pageClickParameter)
        case "telegram":
            let names = bots.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { String($0.drop { $0 == "@" }) }
            guard !names.isEmpty, names.count <= 20, names.allSatisfy(WeightedBot.isValidUsername) else {
                return try await failed("setup_error_link_bots")
            }
            destination = .telegram(bots: names.map { WeightedBot(username: $0) })
        default:
            return try await failed("setup_error_link_kind")
        }
        if destination.configuredURL != nil {
            guard OutboundURLRule.problem(url, allowLoopbackHTTP: deps.configuration.pageFetch.allowLoopback) == nil,
                  DestinationURLBuilder.validate(destination).isEmpty else {
                return try await failed("setup_error_link_url")
            }
        }
        let link = try TrackhubConfigFile.Link(slug: slug, pixel: pixelID, destination: destination)
        document.tenant.links.removeAll { $0.slug == slug }
        document.tenant.links.append(link)
        let version: Int
        do {
            version = try await deps.writer.write(document, note: text("setup_note_link", context, slug), user: user)
        } catch is ConfigError {
            return try await failed("setup_error_link_apply")
        }
        state.linkSlug = slug
        state.linkAt = Date().timeIntervalSince1970
        let session = try await deps.setup.save(tenant: tenantID, userID: user.id, state: state)
        try await deps.setup.action(session: session, step: 4, action: "link.created", outcome: "applied",
                                    detail: ["slug": slug, "kind": kind, "version": String(version)])
        try await deps.setup.message(session: session, author: "assistant", step: 4,
                                     text("setup_link_created", context, SetupGateways.adsURL(ingest: deps.configuration.ingestURL, slug: slug)))
        deps.logger.info("setup link created", metadata: [LogKey.tenant: "\(tenantID)", LogKey.slug: "\(slug)"])
        return ConsoleRenderer.redirect("/setup?tenant=" + tenantID)
    }

    /// The link's card: the URL for the ads, the URL parameters for Meta, and the preview of
    /// the redirect with the click-id parameter picked out.
    func linkModel(_ link: TrackhubConfigFile.Link, context: ConsoleRequestContext) -> [String: Any]? {
        guard case .success(let destination) = link.destinationValue() else { return nil }
        let example = ClickID.generate()
        var rng = SystemRandomNumberGenerator()
        let preview = DestinationURLBuilder.url(for: destination, clickID: example,
                                                requestParameters: [("utm_source", "FB"), ("utm_campaign", "lancamento|1203")], using: &rng) ?? ""
        let parameter = destination.clickIDParameters.first ?? ""
        var before = preview, marked = "", after = ""
        if !parameter.isEmpty, let range = preview.range(of: parameter + "=" + example) {
            before = String(preview[..<range.lowerBound])
            marked = String(preview[range])
            after = String(preview[range.upperBound...])
        }
        return [
            "slug": link.slug, "ads_url": SetupGateways.adsURL(ingest: deps.configuration.ingestURL, slug: link.slug),
            "ads_parameters": Self.adsURLParameters,
            "preview_before": before, "preview_marked": marked, "preview_after": after,
            "click_parameter": text("setup_link_parameter", context, destination.clickIDParameters.joined(separator: ", ")),
        ]
    }
}
