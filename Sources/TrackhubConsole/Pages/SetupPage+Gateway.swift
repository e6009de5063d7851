import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TrackhubCore

/// Step 3, the gateway: the seller picks one, copies the webhook URL into that gateway's menu
/// (the path shown in pt-BR), pastes the secret the gateway gives (sealed, applied through the
/// tenant's configuration document like every step), and the page waits live for the gateway's
/// test delivery. ingestd traces each delivery's authentication (``WebhookTrace``): the step
/// turns green only when one authenticated after the secret was saved, and says the signature
/// does not match when one was refused.
extension SetupPage {
    /// Events of one status stream (one a second), after which the browser reconnects.
    static let gatewayEventsPerStream = 120

    func registerGateway(on router: Router<ConsoleRequestContext>) {
        router.post("/setup/gateway") { _, context in try await saveGateway(context) }
        router.get("/setup/gateway/status") { request, context in
            let tenantID = request.uri.queryParameters["tenant"].map(String.init) ?? ""
            _ = try context.requireUser(.configure, tenant: tenantID)
            let events = request.uri.queryParameters["once"] == nil ? Self.gatewayEventsPerStream : 1
            let language = context.language
            return ConsoleEventStream.response(events: events, interval: .seconds(1)) {
                let status = try? await gatewayStatus(tenant: tenantID, language: language)
                return .init(name: "status", data: Self.statusJSON(status?.state ?? "unavailable", status?.text ?? ""),
                             last: status?.state == "accepted")
            }
        }
    }

    // MARK: Saving the secret

    func saveGateway(_ context: ConsoleRequestContext) async throws -> Response {
        let form = context.form
        let tenantID = form.trimmed("tenant")
        let user = try context.requireUser(.configure, tenant: tenantID)
        guard let gateway = Gateway(rawValue: form.trimmed("gateway")), SetupGateways.all.contains(gateway) else {
            return ConsoleRenderer.redirect("/setup?tenant=" + tenantID)
        }
        guard var state = try await deps.setup.open(tenant: tenantID)?.state, state.testEventAt != nil,
              var document = try await deps.writer.latest(tenant: tenantID) else {
            return ConsoleRenderer.redirect("/setup?tenant=" + tenantID)
        }
        let secret = form.trimmed("secret")
        let apiToken = form.trimmed("api_token")
        guard Self.acceptableSecret(secret), apiToken.isEmpty || Self.acceptableSecret(apiToken) else {
            return try await show(context, tenant: tenantID, error: text("setup_error_gateway_secret", context), typed: ["gateway": gateway.rawValue],
                                  status: .unprocessableContent)
        }
        let account = tenantID
        let variable = TenantConfigDocument.webhookSecretVariable(gateway: gateway.rawValue, account: account)
        try document.setSecret(variable, secret, keys: deps.keys)
        var entry = document.tenant.gatewayAccounts.first { $0.gateway == gateway.rawValue && $0.account == account }
            ?? TrackhubConfigFile.GatewayAccount(gateway: gateway.rawValue, account: account)
        entry.secretEnv = variable
        entry.secretFile = nil
        entry.secretsEnv = nil
        entry.secretsFile = nil
        if SetupGateways.needsAPIToken(gateway), !apiToken.isEmpty {
            let tokenVariable = SetupGateways.apiTokenVariable(gateway: gateway.rawValue, account: account)
            try document.setSecret(tokenVariable, apiToken, keys: deps.keys)
            entry.apiTokenEnv = tokenVariable
            entry.apiTokenFile = nil
        }
        document.tenant.gatewayAccounts.removeAll { $0.gateway == gateway.rawValue && $0.account == account }
        document.tenant.gatewayAccounts.append(entry)
        let name = SetupGateways.name(gateway)
        let version = try await deps.writer.write(document, note: text("setup_note_gateway", context, name, account), user: user)
        state.gateway = gateway.rawValue
        state.gatewayAccount = account
        state.gatewaySecretAt = Date().timeIntervalSince1970
        state.gatewayVerifiedAt = nil
        state.gatewayRefusedAt = nil
        let session = try await deps.setup.save(tenant: tenantID, userID: user.id, state: state)
        try await deps.setup.action(session: session, step: 3, action: "gateway.secret_saved", outcome: "applied",
                                    detail: ["gateway": gateway.rawValue, "account": account, "version": String(version)])
        try await deps.setup.message(session: session, author: "assistant", step: 3, text("setup_gateway_waiting", context, name))
        deps.logger.info("setup gateway saved", metadata: [LogKey.gateway: "\(gateway.rawValue)", LogKey.tenant: "\(tenantID)"])
        return ConsoleRenderer.redirect("/setup?tenant=" + tenantID)
    }

    /// A secret as gateways issue them: 1–512 visible characters, no spaces.
    static func acceptableSecret(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.count <= 512 && !value.contains { $0.isWhitespace }
    }

    // MARK: Waiting for the test delivery

    /// The step's state from ingestd's trace: `waiting`, `accepted` or `refused`, with the
    /// sentence to show. The first authenticated delivery verifies the step (state, action
    /// log, conversation); each new refusal is logged once as an action.
    func gatewayStatus(tenant: String, language: ConsoleLanguage) async throws -> (state: String, text: String)? {
        guard let session = try await deps.setup.open(tenant: tenant) else { return nil }
        var state = session.state
        guard let gateway = state.gateway, let account = state.gatewayAccount, let since = state.gatewaySecretAt else { return nil }
        let name = SetupGateways.name(Gateway(rawValue: gateway) ?? .hotmart)
        let strings = deps.renderer.strings
        if let verified = state.gatewayVerifiedAt {
            return ("accepted", strings.text("setup_gateway_accepted", language, name, ConsoleFormat.dateTime(Date(timeIntervalSince1970: verified), language)))
        }
        let trace = try await deps.webhookTraces.trace(gateway: gateway, account: account)
        switch trace.status(since: since) {
        case .waiting:
            return ("waiting", strings.text("setup_gateway_waiting", language, name))
        case .accepted(let at):
            state.gatewayVerifiedAt = at
            let sessionID = try await deps.setup.save(tenant: tenant, userID: 0, state: state)
            let sentence = strings.text("setup_gateway_accepted", language, name, ConsoleFormat.dateTime(Date(timeIntervalSince1970: at), language))
            try await deps.setup.action(session: sessionID, step: 3, action: "gateway.test_delivery", outcome: "accepted",
                                        detail: ["gateway": gateway, "account": account, "at": String(at)])
            try await deps.setup.message(session: sessionID, author: "assistant", step: 3, sentence)
            return ("accepted", sentence)
        case .refused(let at, let reason):
            let sentence = strings.text("setup_gateway_refused_" + Self.refusalKey(reason), language, name,
                                        ConsoleFormat.dateTime(Date(timeIntervalSince1970: at), language))
            if state.gatewayRefusedAt != at {
                state.gatewayRefusedAt = at
                let sessionID = try await deps.setup.save(tenant: tenant, userID: 0, state: state)
                try await deps.setup.action(session: sessionID, step: 3, action: "gateway.test_delivery", outcome: "refused",
                                            detail: ["gateway": gateway, "account": account, "at": String(at), "reason": reason.rawValue])
            }
            return ("refused", sentence)
        }
    }

    /// Stale Stripe timestamps get their own advice (the clock); every other refusal is "check the secret".
    static func refusalKey(_ reason: WebhookRejection) -> String {
        reason == .staleTimestamp ? "clock" : "secret"
    }

    static func statusJSON(_ state: String, _ text: String) -> String {
        var w = JSONWriter(profile: .stored, capacity: 256)
        w.beginObject()
        w.key("state")
        w.string(state)
        w.key("text")
        w.string(text)
        w.endObject()
        return w.text
    }

    /// The step-3 part of the page: the gateways to pick, the chosen one's URL, menu path and
    /// secret form, and the live status once a secret was saved.
    func gatewayModel(tenant: String, chosen requested: String?, state: SetupState, context: ConsoleRequestContext) async -> [String: Any] {
        let table = deps.renderer.strings.table(context.language)
        let chosen = requested.flatMap(Gateway.init(rawValue:)) ?? state.gateway.flatMap(Gateway.init(rawValue:))
        var model: [String: Any] = [
            "gateways": SetupGateways.all.map { g -> [String: Any] in
                ["id": g.rawValue, "name": SetupGateways.name(g), "selected": g == chosen]
            },
        ]
        guard let gateway = chosen else { return model }
        let account = state.gatewayAccount ?? tenant
        model["gateway"] = [
            "id": gateway.rawValue, "name": SetupGateways.name(gateway),
            "url": SetupGateways.webhookURL(ingest: deps.configuration.ingestURL, gateway: gateway.rawValue, account: account),
            "steps": (table["setup_gw_\(gateway.rawValue)_steps"] ?? "").split(separator: "\n").map { ["text": String($0)] },
            "secret_label": table["setup_gw_\(gateway.rawValue)_secret"] ?? "",
            "needs_api_token": SetupGateways.needsAPIToken(gateway),
        ]
        if state.gateway == gateway.rawValue, state.gatewaySecretAt != nil,
           let status = try? await gatewayStatus(tenant: tenant, language: context.language) {
            model["wait"] = ["state": status.state, "text": status.text, "accepted": status.state == "accepted",
                             "url": "/setup/gateway/status?tenant=" + tenant]
        }
        return model
    }
}
