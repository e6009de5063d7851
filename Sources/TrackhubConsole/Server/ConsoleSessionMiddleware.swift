import Foundation
import Hummingbird
import HTTPTypes
import Logging
import TrackhubCore

/// Runs before every console route: finds the session from its cookie, picks the language, checks
/// every POST's CSRF token (the session's, or before login the `th_pre` cookie's — a double-submit
/// token a cross-site page can neither read nor set), and turns ``ConsoleDenied`` into the login
/// redirect or the no-permission page. Also adds the security headers to every answer.
struct ConsoleSessionMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext
    let deps: ConsoleDependencies

    static let sessionCookie = "th_session"
    static let languageCookie = "th_lang"
    static let preSessionCookie = "th_pre"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        if let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty {
            context.session = try await deps.store.session(token: token)
        }
        context.language = ConsoleLanguage(code: request.cookies[Self.languageCookie]?.value ?? context.session?.user.language.rawValue)
        let preSession = request.cookies[Self.preSessionCookie]?.value
        context.csrf = context.session?.csrf ?? preSession ?? ""
        var issuePreSession: String?
        if context.session == nil, preSession == nil || preSession?.count != 64 {
            // Pages before login (login, first owner) need a token for their forms.
            let token = ConsoleToken.generate()
            context.csrf = token
            issuePreSession = token
        }

        if request.method == .post {
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            context.form = ConsoleForm(body: Array(buffer: body))
            guard issuePreSession == nil, ConsoleToken.matches(context.form["_csrf"], context.csrf) else {
                deps.logger.notice("console form refused", metadata: [LogKey.reason: "csrf", "path": "\(request.uri.path)"])
                var response = deps.renderer.page("error", titleKey: "error_title", context: context, path: request.uri.path,
                                                  model: ["message": deps.renderer.text("error_csrf", context)], status: .forbidden)
                if let issuePreSession { response.setCookie(preSessionCookie(issuePreSession)) }
                return secured(response)
            }
        }

        var response: Response
        do {
            response = try await next(request, context)
        } catch ConsoleDenied.notLoggedIn {
            let target = request.uri.path == "/" ? "/login" : "/login?next=" + (request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            response = ConsoleRenderer.redirect(target)
        } catch ConsoleDenied.forbidden {
            response = deps.renderer.page("error", titleKey: "error_forbidden_title", context: context, path: request.uri.path,
                                          model: ["message": deps.renderer.text("error_forbidden", context)], status: .forbidden)
        }
        if let issuePreSession { response.setCookie(preSessionCookie(issuePreSession)) }
        return secured(response)
    }

    func preSessionCookie(_ value: String) -> Cookie {
        Cookie(name: Self.preSessionCookie, value: value, path: "/", secure: deps.configuration.secureCookies, httpOnly: true,
               sameSite: .lax)
    }

    /// No inline scripts or styles, no framing, no sniffing: an escaping mistake cannot run code.
    func secured(_ response: Response) -> Response {
        var response = response
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return response
    }
}
