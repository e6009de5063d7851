public import Hummingbird

/// One page (or a group of routes) of the console, in its own file under `Pages/`. To add one:
/// write a type conforming to this protocol, register its routes in ``register(on:)``, give it a
/// template `templates/<name>.mustache` (extending `layout`) and its texts in both strings tables,
/// and add the type to ``ConsolePages/all``. See docs/CONSOLE.md.
public protocol ConsolePage: Sendable {
    /// The navigation entry, or nil for pages reached otherwise (login, detail pages).
    static var navigation: ConsoleNavItem? { get }
    init(_ deps: ConsoleDependencies)
    /// Adds the page's routes. Handlers call `context.requireUser(...)` first (except the
    /// login pages); POST handlers read `context.form`, which the middleware already checked
    /// against the CSRF token.
    func register(on router: Router<ConsoleRequestContext>)
}

extension ConsolePage {
    public static var navigation: ConsoleNavItem? { nil }
}
