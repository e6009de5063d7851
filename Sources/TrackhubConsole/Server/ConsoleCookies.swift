import Foundation
import Hummingbird

/// The console's cookies, all HttpOnly and SameSite=Lax, Secure when browsers reach the console
/// over https, and the rule for where a `next`/`back` parameter may send the browser.
enum ConsoleCookies {
    static func session(_ token: String, lifetimeSeconds: Int, secure: Bool) -> Cookie {
        Cookie(name: ConsoleSessionMiddleware.sessionCookie, value: token, maxAge: lifetimeSeconds, path: "/", secure: secure,
               httpOnly: true, sameSite: .lax)
    }

    static func expiredSession(secure: Bool) -> Cookie {
        Cookie(name: ConsoleSessionMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true,
               sameSite: .lax)
    }

    static func language(_ language: ConsoleLanguage, secure: Bool) -> Cookie {
        Cookie(name: ConsoleSessionMiddleware.languageCookie, value: language.rawValue, maxAge: 365 * 86400, path: "/",
               secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// `candidate` if it is a path on this console (`/…`, not `//host` nor `/\host`), else `/`:
    /// a login link can never bounce the browser to another site.
    static func localPath(_ candidate: String?) -> String {
        guard let candidate, candidate.hasPrefix("/"), !candidate.hasPrefix("//"), !candidate.hasPrefix("/\\"),
              !candidate.contains(where: { $0.isNewline }) else { return "/" }
        return candidate
    }
}
