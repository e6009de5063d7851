import Foundation
import Hummingbird
import Logging
import TrackhubCore

/// `/login` and `/logout`. Logins are rate-limited per login name and per client address
/// (``LoginThrottle``); a failed login says only "usuário ou senha incorretos", whichever was wrong.
struct LoginPage: ConsolePage {
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/login") { request, context in try await show(request, context) }
        router.post("/login") { request, context in try await login(request, context) }
        router.post("/logout") { _, context in try await logout(context) }
    }

    func show(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        if context.session != nil { return ConsoleRenderer.redirect("/") }
        if try await deps.store.userCount() == 0 { return ConsoleRenderer.redirect("/welcome") }
        return page(context, next: request.uri.queryParameters["next"].map(String.init), error: nil, login: "", status: .ok)
    }

    func login(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let form = context.form
        let login = form.trimmed("login").lowercased()
        let next = ConsoleCookies.localPath(form["next"])
        let keys = ["login:" + login, "ip:" + (context.remoteAddress?.ipAddress ?? "unknown")]
        if case .refuse(let wait) = deps.throttle.check(keys) {
            deps.logger.notice("console login refused", metadata: [LogKey.reason: "rate_limited"])
            let minutes = String(max(1, (wait + 59) / 60))
            var response = page(context, next: next, error: deps.renderer.text("login_throttled", context, minutes), login: login,
                                status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        guard let user = try await deps.store.authenticate(login: login, password: form["password"] ?? "") else {
            deps.throttle.recordFailure(keys)
            deps.logger.notice("console login failed", metadata: [LogKey.reason: "bad_credentials"])
            return page(context, next: next, error: deps.renderer.text("login_failed", context), login: login, status: .unauthorized)
        }
        deps.throttle.recordSuccess(keys[0])
        let session = try await deps.store.createSession(for: user, lifetimeSeconds: deps.configuration.sessionLifetimeSeconds)
        deps.logger.info("console login", metadata: ["user_id": "\(user.id)"])
        var response = ConsoleRenderer.redirect(next)
        response.setCookie(ConsoleCookies.session(session.token, lifetimeSeconds: deps.configuration.sessionLifetimeSeconds,
                                                  secure: deps.configuration.secureCookies))
        return response
    }

    func logout(_ context: ConsoleRequestContext) async throws -> Response {
        if let session = context.session { try await deps.store.deleteSession(tokenHash: session.tokenHash) }
        var response = ConsoleRenderer.redirect("/login")
        response.setCookie(ConsoleCookies.expiredSession(secure: deps.configuration.secureCookies))
        return response
    }

    func page(_ context: ConsoleRequestContext, next: String?, error: String?, login: String, status: HTTPResponse.Status) -> Response {
        deps.renderer.page("login", titleKey: "login_title", context: context, path: "/login",
                           model: ["next": ConsoleCookies.localPath(next), "error": error ?? false, "login": login], status: status)
    }
}
