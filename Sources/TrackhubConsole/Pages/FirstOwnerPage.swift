import Hummingbird
import Logging
import TrackhubCore

/// `/welcome`: the first owner, created with the one-time setup token `dispatchd console` printed
/// at its first start (or `dispatchd console create-owner`). Once a user exists it leads to the login.
struct FirstOwnerPage: ConsolePage {
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    /// Shorter passwords are refused: the console reaches a seller's tokens.
    static let minimumPasswordLength = 10

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/welcome") { _, context in
            guard try await deps.store.userCount() == 0 else { return ConsoleRenderer.redirect("/login") }
            return page(context, error: nil, login: "", name: "", status: .ok)
        }
        router.post("/welcome") { _, context in try await create(context) }
    }

    func create(_ context: ConsoleRequestContext) async throws -> Response {
        let form = context.form
        let login = form.trimmed("login").lowercased()
        let name = form.trimmed("name")
        let password = form["password"] ?? ""
        let problem: String? =
            if login.isEmpty { "welcome_error_login" }
            else if password.count < Self.minimumPasswordLength { "welcome_error_short" }
            else if password != form["password_again"] { "welcome_error_mismatch" }
            else { nil }
        if let problem {
            return page(context, error: deps.renderer.text(problem, context, String(Self.minimumPasswordLength)), login: login, name: name,
                        status: .badRequest)
        }
        guard let owner = try await deps.store.createFirstOwner(setupToken: form.trimmed("setup_token"), login: login, displayName: name,
                                                                password: password) else {
            deps.logger.notice("console first owner refused", metadata: [LogKey.reason: "setup_token"])
            return page(context, error: deps.renderer.text("welcome_error_token", context), login: login, name: name, status: .forbidden)
        }
        deps.logger.notice("console first owner created", metadata: ["user_id": "\(owner.id)"])
        let session = try await deps.store.createSession(for: owner, lifetimeSeconds: deps.configuration.sessionLifetimeSeconds)
        var response = ConsoleRenderer.redirect("/")
        response.setCookie(ConsoleCookies.session(session.token, lifetimeSeconds: deps.configuration.sessionLifetimeSeconds,
                                                  secure: deps.configuration.secureCookies))
        return response
    }

    func page(_ context: ConsoleRequestContext, error: String?, login: String, name: String, status: HTTPResponse.Status) -> Response {
        deps.renderer.page("welcome", titleKey: "welcome_title", context: context, path: "/welcome",
                           model: ["error": error ?? false, "login": login, "name": name,
                                   "min_length": String(Self.minimumPasswordLength)], status: status)
    }
}
