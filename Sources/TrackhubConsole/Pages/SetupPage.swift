import Foundation
import Hummingbird
import Logging
import TrackhubCore

/// `/setup`: the setup assistant. Each step is checked for real against Graph and written
/// through the tenant's configuration document (``ConsoleConfigWriter``: the same apply as
/// `dispatchd apply`, versioned). Step 1 reads the pixel with the pasted token; step 2 sends a
/// test event with the code from Events Manager; step 3 waits for the gateway's test delivery;
/// step 4 creates the tracking link; step 5 follows it like an ad click and reads the landing
/// page; step 6 switches the pixel to live after a summary and a confirmation. The session (what was verified, the
/// conversation, every action) is stored, so leaving and coming back resumes where it stopped.
struct SetupPage: ConsolePage {
    static let navigation: ConsoleNavItem? = ConsoleNavItem(labelKey: "nav_setup", path: "/setup", order: 10)
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/setup") { request, context in
            var typed: [String: String] = [:]
            if let gateway = request.uri.queryParameters["gateway"] { typed["gateway"] = String(gateway) }
            if request.uri.queryParameters["step"] == "page" { typed["page"] = "1" }
            return try await show(context, tenant: request.uri.queryParameters["tenant"].map(String.init), error: nil, typed: typed, status: .ok)
        }
        router.post("/setup/pixel") { _, context in try await pixel(context) }
        router.post("/setup/test-event") { _, context in try await testEvent(context) }
        registerGateway(on: router)
        registerLink(on: router)
        registerPage(on: router)
        registerLive(on: router)
    }

    // MARK: Step 1: pixel and token

    func pixel(_ context: ConsoleRequestContext) async throws -> Response {
        let form = context.form
        var tenantID = form.trimmed("tenant")
        var newTenantName: String?
        if tenantID.isEmpty {
            // A new client: only an owner (or a user given every tenant) may create one.
            let user = try context.requireUser(.configure)
            guard user.allTenants else { throw ConsoleDenied.forbidden }
            let name = form.trimmed("tenant_name")
            tenantID = Self.slug(name)
            guard !tenantID.isEmpty else {
                return try await show(context, tenant: nil, error: text("setup_error_tenant_name", context), typed: ["pixel_id": form.trimmed("pixel_id")],
                                      status: .unprocessableContent)
            }
            newTenantName = name
        }
        let user = try context.requireUser(.configure, tenant: tenantID)
        let pixelID = form.trimmed("pixel_id")
        let token = form.trimmed("token")
        guard pixelID.count >= 5, pixelID.count <= 20, pixelID.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return try await show(context, tenant: tenantID, error: text("setup_error_pixel_id", context), typed: ["pixel_id": pixelID],
                                  status: .unprocessableContent, newTenantName: newTenantName)
        }
        guard Self.isPlausibleToken(token) else {
            return try await show(context, tenant: tenantID, error: text("setup_error_token_empty", context), typed: ["pixel_id": pixelID],
                                  status: .unprocessableContent, newTenantName: newTenantName)
        }

        let check = await deps.graph.readPixel(id: pixelID, token: token)
        var state = try await deps.setup.open(tenant: tenantID)?.state ?? SetupState()
        switch check {
        case .problem(let problem):
            let message = try await record(problem, step: 1, action: "graph.pixel_read", pixel: pixelID, tenant: tenantID, user: user,
                                           state: state, context)
            deps.logger.notice("setup pixel check failed", metadata: [LogKey.pixel: "\(pixelID)", LogKey.metaCode: "\(problem.code ?? 0)"])
            return try await show(context, tenant: tenantID, error: message, typed: ["pixel_id": pixelID], status: .unprocessableContent,
                                  newTenantName: newTenantName)
        case .found(let name, _):
            var document = try await deps.writer.latest(tenant: tenantID)
                ?? TenantConfigDocument(tenant: TrackhubConfigFile.Tenant(id: tenantID, name: newTenantName ?? tenantID))
            try document.setPixelToken(pixelID, token: token, keys: deps.keys)
            let version = try await deps.writer.write(document, note: text("setup_note_pixel", context, pixelID, name), user: user)
            state.pixelID = pixelID
            state.pixelName = name
            state.pixelCheckedAt = Date().timeIntervalSince1970
            let session = try await deps.setup.save(tenant: tenantID, userID: user.id, state: state)
            try await deps.setup.action(session: session, step: 1, action: "graph.pixel_read", outcome: "found",
                                        detail: ["pixel": pixelID, "name": name, "version": String(version)])
            try await deps.setup.message(session: session, author: "assistant", step: 1, text("setup_pixel_found", context, name, pixelID))
            deps.logger.info("setup pixel verified", metadata: [LogKey.pixel: "\(pixelID)", LogKey.tenant: "\(tenantID)"])
            return ConsoleRenderer.redirect("/setup?tenant=" + tenantID)
        }
    }

    // MARK: Step 2: test event

    func testEvent(_ context: ConsoleRequestContext) async throws -> Response {
        let tenantID = context.form.trimmed("tenant")
        let user = try context.requireUser(.configure, tenant: tenantID)
        let code = context.form.trimmed("test_code")
        guard var state = try await deps.setup.open(tenant: tenantID)?.state, let pixelID = state.pixelID,
              var document = try await deps.writer.latest(tenant: tenantID),
              let index = document.tenant.pixels.firstIndex(where: { $0.id == pixelID }) else {
            return ConsoleRenderer.redirect("/setup?tenant=" + tenantID)
        }
        guard !code.isEmpty, code.count <= 64, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
            return try await show(context, tenant: tenantID, error: text("setup_error_test_code", context), typed: ["test_code": code],
                                  status: .unprocessableContent)
        }
        let token = try document.environment(keys: deps.keys)[TenantConfigDocument.pixelTokenVariable(pixelID)] ?? ""
        let check = await deps.graph.sendTestEvent(pixel: pixelID, token: token, testEventCode: code)
        switch check {
        case .problem(let problem):
            let message = try await record(problem, step: 2, action: "capi.test_event", pixel: pixelID, tenant: tenantID, user: user,
                                           state: state, context)
            return try await show(context, tenant: tenantID, error: message, typed: ["test_code": code], status: .unprocessableContent)
        case .received(let count, let trace):
            document.tenant.pixels[index].mode = "test"
            document.tenant.pixels[index].testEventCode = code
            let version = try await deps.writer.write(document, note: text("setup_note_test", context, pixelID, code), user: user)
            state.testEventCode = code
            state.testEventsReceived = count
            state.testEventTrace = trace
            state.testEventAt = Date().timeIntervalSince1970
            let session = try await deps.setup.save(tenant: tenantID, userID: user.id, state: state)
            try await deps.setup.action(session: session, step: 2, action: "capi.test_event", outcome: "received",
                                        detail: ["pixel": pixelID, "events_received": String(count), "fbtrace_id": trace,
                                                 "version": String(version)])
            try await deps.setup.message(session: session, author: "assistant", step: 2,
                                         text("setup_test_received", context, String(count), trace))
            return ConsoleRenderer.redirect("/setup?tenant=" + tenantID)
        }
    }

    // MARK: Page

    func show(_ context: ConsoleRequestContext, tenant requested: String?, error: String?, typed: [String: String],
              status: HTTPResponse.Status, newTenantName: String? = nil) async throws -> Response {
        let user = try context.requireUser(.view)
        let visible = try await deps.store.tenants().filter { user.canSee(tenant: $0.id) }
        var tenant = requested.flatMap { id in visible.first { $0.id == id } }
        if requested != nil, tenant == nil, newTenantName == nil { throw ConsoleDenied.forbidden }
        if tenant == nil, requested == nil, visible.count == 1 { tenant = visible[0] }
        let canConfigure = tenant.map { user.may(.configure, tenant: $0.id) } ?? user.allTenants && user.may(.configure)

        var state = SetupState()
        var conversation: [[String: Any]] = []
        if let tenant, let session = try await deps.setup.open(tenant: tenant.id) {
            state = session.state
            conversation = try await deps.setup.messages(session: session.id).suffix(6).map {
                ["author": $0.author, "body": $0.body, "assistant": $0.author == "assistant"]
            }
        }
        let table = deps.renderer.strings.table(context.language)
        var document: TenantConfigDocument?
        if let tenant { document = try await deps.writer.latest(tenant: tenant.id) }
        // Live is what the configuration says now (a rollback puts the pixel back in test).
        let pixelMode = state.pixelID.flatMap { id in document?.tenant.pixels.first { $0.id == id } }?.mode
        if state.liveAt != nil, pixelMode != PixelMode.live.rawValue { state.liveAt = nil }
        let current = state.currentStep
        let steps: [[String: Any]] = SetupState.steps.enumerated().map { index, key in
            let number = index + 1
            return ["number": number, "label": table["setup_step_" + key] ?? key, "done": state.isDone(number),
                    "current": number == current, "later": false]
        }
        // Steps 1–4 show their form when current or when their own input failed; 5 and 6 stay
        // on the page once reached (the report and the summary are the evidence).
        let otherInput = typed["pixel_id"] != nil || typed["test_code"] != nil || typed["gateway"] != nil || typed["link_kind"] != nil
        var model: [String: Any] = [
            "steps": steps, "error": error ?? false, "can_configure": canConfigure,
            "tenant_id": tenant?.id ?? "", "has_tenant": tenant != nil,
            "new_tenant": tenant == nil && user.allTenants, "tenant_name": newTenantName ?? "",
            "pick_tenant": tenant == nil && !visible.isEmpty,
            "tenants": visible.map { ["id": $0.id, "name": $0.name.isEmpty ? $0.id : $0.name] },
            "step1": current == 1 || typed["pixel_id"] != nil, "step2": current == 2 || typed["test_code"] != nil,
            "step3": (current == 3 && typed["pixel_id"] == nil && typed["test_code"] == nil) || (current > 3 && typed["gateway"] != nil),
            "step4": (current == 4 && typed["pixel_id"] == nil && typed["test_code"] == nil && typed["gateway"] == nil) || typed["link_kind"] != nil,
            "step5": current >= 5 && !otherInput, "page_url": typed["page_url"] ?? "",
            "step6": current >= 6 && !otherInput && typed["page_url"] == nil,
            "link_name": typed["link_name"] ?? "", "link_url": typed["link_url"] ?? "", "link_bots": typed["link_bots"] ?? "",
            "kind_checkout": (typed["link_kind"] ?? "checkout") == "checkout", "kind_page": typed["link_kind"] == "page",
            "kind_telegram": typed["link_kind"] == "telegram",
            "pixel_id": typed["pixel_id"] ?? state.pixelID ?? "", "test_code": typed["test_code"] ?? "",
            "conversation": conversation, "has_conversation": !conversation.isEmpty,
        ]
        if let tenant, state.testEventAt != nil {
            for (key, value) in await gatewayModel(tenant: tenant.id, chosen: typed["gateway"], state: state, context: context) {
                model[key] = value
            }
        }
        if let slug = state.linkSlug, let document, let link = document.tenant.links.first(where: { $0.slug == slug }),
           let card = linkModel(link, context: context) {
            model["link"] = card
            model["ads_url"] = card["ads_url"]
        }
        if let tenant, let report = state.pageCheck, current >= 5 {
            model["page"] = pageModel(report, tenant: tenant.id, context: context)
        }
        if let document, current >= 6, let live = liveModel(document, state: state, context: context) {
            model["live"] = live
        }
        var verified: [String] = []
        if let name = state.pixelName, let id = state.pixelID { verified.append(text("setup_pixel_found", context, name, id)) }
        if let count = state.testEventsReceived, let trace = state.testEventTrace {
            verified.append(text("setup_test_received", context, String(count), trace))
        }
        if let at = state.gatewayVerifiedAt, let gateway = state.gateway.flatMap(Gateway.init(rawValue:)) {
            verified.append(text("setup_gateway_accepted", context, SetupGateways.name(gateway),
                                 ConsoleFormat.dateTime(Date(timeIntervalSince1970: at), context.language)))
        }
        if state.linkAt != nil, let slug = state.linkSlug {
            verified.append(text("setup_link_created", context, SetupGateways.adsURL(ingest: deps.configuration.ingestURL, slug: slug)))
        }
        if let report = state.pageCheck, state.pageCheckedAt != nil {
            verified.append(report.passed ? verdict(report, context).text : text("setup_page_passed_before", context))
        }
        if let at = state.liveAt {
            verified.append(text("setup_live_verified", context, ConsoleFormat.dateTime(Date(timeIntervalSince1970: at), context.language)))
        }
        model["verified"] = verified.map { ["text": $0] }
        model["has_verified"] = !verified.isEmpty
        return deps.renderer.page("setup", titleKey: "setup_title", context: context, path: "/setup", model: model, status: status)
    }

    /// Records a failed check in the session (the action with Meta's codes as evidence, and the
    /// assistant's answer in the conversation) and returns that answer for the page.
    func record(_ problem: GraphProblem, step: Int, action: String, pixel: String, tenant: String, user: ConsoleUser,
                state: SetupState, _ context: ConsoleRequestContext) async throws -> String {
        let session = try await deps.setup.save(tenant: tenant, userID: user.id, state: state)
        try await deps.setup.action(session: session, step: step, action: action, outcome: problem.kind.rawValue,
                                    detail: Self.evidence(problem, pixel: pixel))
        let message = Self.problemText(problem, deps.renderer.strings, context.language)
        try await deps.setup.message(session: session, author: "assistant", step: step, message)
        return message
    }

    /// A pasted access token worth asking Graph about: not empty, not huge, no blanks (a token
    /// pasted with a line break in the middle). Setup step 1 and the help chat share it.
    static func isPlausibleToken(_ token: String) -> Bool {
        !token.isEmpty && token.utf8.count <= 8192 && !token.contains(where: { $0.isWhitespace })
    }

    func text(_ key: String, _ context: ConsoleRequestContext, _ arguments: String...) -> String {
        deps.renderer.strings.text(key, context.language, arguments: arguments)
    }

    /// The pt-BR (or English) sentence for a Graph refusal, with its code as evidence.
    static func problemText(_ problem: GraphProblem, _ strings: ConsoleStrings, _ language: ConsoleLanguage) -> String {
        var message = strings.text("graph_" + problem.kind.rawValue, language)
        if let code = problem.code {
            message += " " + strings.text("graph_code", language, problem.subcode.map { "\(code)/\($0)" } ?? String(code))
        }
        return message
    }

    static func evidence(_ problem: GraphProblem, pixel: String) -> [String: String] {
        var detail = ["pixel": pixel]
        if let code = problem.code { detail["code"] = String(code) }
        if let subcode = problem.subcode { detail["subcode"] = String(subcode) }
        if let trace = problem.fbtraceID { detail["fbtrace_id"] = trace }
        return detail
    }

    /// A tenant id from a shop's name: lowercase ASCII letters and digits, `-` between words,
    /// accents dropped ("Loja da Ana" → `loja-da-ana`), at most 64.
    static func slug(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "pt_BR")).lowercased()
        var out = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) { out.unicodeScalars.append(scalar) }
            else if !out.isEmpty, out.last != "-" { out.append("-") }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(64))
    }
}
