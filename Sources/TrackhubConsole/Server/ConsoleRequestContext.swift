public import Hummingbird
public import NIOCore

/// The request context of every console route: Hummingbird's storage, the peer address (login
/// rate limiting), and what ``ConsoleSessionMiddleware`` found — the session, the language, and
/// for a POST the form it already read and checked against the CSRF token.
public struct ConsoleRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The logged-in browser, if any.
    public var session: ConsoleSession?
    /// The language pages render in: the switch's cookie, else the user's preference, else pt-BR.
    public var language: ConsoleLanguage = .portuguese
    /// The CSRF token forms on this page must carry (the session's, or the pre-login cookie's).
    public var csrf: String = ""
    /// A POST's urlencoded form, already verified against ``csrf``.
    public var form = ConsoleForm(pairs: [])

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Forms are small; anything bigger is refused before it is read.
    public var maxUploadSize: Int { 256 * 1024 }

    /// The logged-in user allowed to do `permission` (on `tenant`), or the denial the session
    /// middleware turns into the login redirect (nobody logged in) or the 403 page.
    public func requireUser(_ permission: ConsoleRole.Permission = .view, tenant: String? = nil) throws -> ConsoleUser {
        guard let user = session?.user else { throw ConsoleDenied.notLoggedIn }
        guard user.may(permission, tenant: tenant) else { throw ConsoleDenied.forbidden }
        return user
    }
}

/// Why a route refused: rendered by ``ConsoleSessionMiddleware`` (redirect to the login, or the
/// no-permission page), so a page only has to call ``ConsoleRequestContext/requireUser(_:tenant:)``.
public enum ConsoleDenied: Error, Sendable {
    case notLoggedIn
    case forbidden
}
