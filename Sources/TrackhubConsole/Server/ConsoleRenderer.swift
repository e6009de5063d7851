import Foundation
public import Hummingbird
public import Mustache
import NIOCore

/// Renders pages: one mustache template per page (`templates/<name>.mustache`) that extends
/// `layout`, with the strings table of the request's language as `t`, the CSRF token as `csrf`,
/// the navigation and the user. Every `{{value}}` is HTML-escaped by mustache (quotes included);
/// no template uses the unescaped `{{{…}}}` form for data.
public struct ConsoleRenderer: Sendable {
    public let library: MustacheLibrary
    public let strings: ConsoleStrings
    /// Navigation entries of the registered pages, in order.
    public let navigation: [ConsoleNavItem]

    public init(resources directory: String, navigation: [ConsoleNavItem]) async throws {
        library = try await MustacheLibrary(directory: directory + "/templates")
        strings = try ConsoleStrings(resources: directory)
        self.navigation = navigation
    }

    /// The HTML page `template` for this request, with `model` merged over the common values.
    public func page(_ template: String, titleKey: String, context: ConsoleRequestContext, path: String,
                     model: [String: Any] = [:], status: HTTPResponse.Status = .ok) -> Response {
        let language = context.language
        let table = strings.table(language)
        var values: [String: Any] = [
            "t": table,
            "lang": language.htmlLang,
            "title": table[titleKey] ?? titleKey,
            "csrf": context.csrf,
            "path": path,
            "other_language": language == .portuguese ? ConsoleLanguage.english.rawValue : ConsoleLanguage.portuguese.rawValue,
            "other_language_label": table[language == .portuguese ? "language_switch_en" : "language_switch_pt"] ?? "",
        ]
        if let user = context.session?.user {
            values["user"] = ["name": user.greetingName, "role": table["role_" + user.role.rawValue] ?? user.role.rawValue]
            values["nav"] = navigation.map { item -> [String: Any] in
                ["label": table[item.labelKey] ?? item.labelKey, "path": item.path, "current": item.matches(path)]
            }
        }
        for (key, value) in model { values[key] = value }
        let html = library.render(values, withTemplate: template) ?? ""
        return Self.html(html, status: status)
    }

    /// A text from the request language's table, `%@` filled in order.
    public func text(_ key: String, _ context: ConsoleRequestContext, _ arguments: String...) -> String {
        strings.text(key, context.language, arguments: arguments)
    }

    /// An HTML response with the console's security headers.
    public static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A 303 to `location` (after a POST the browser GETs the result: no resubmission on reload).
    public static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }
}

/// One entry of the navigation bar: its label key and path. A page with an entry declares it in
/// ``ConsolePage/navigation``.
public struct ConsoleNavItem: Sendable {
    public let labelKey: String
    public let path: String
    public let order: Int

    public init(labelKey: String, path: String, order: Int) {
        self.labelKey = labelKey
        self.path = path
        self.order = order
    }

    /// Whether `path` is this entry's page (or below it).
    public func matches(_ requestPath: String) -> Bool {
        self.path == "/" ? requestPath == "/" : requestPath == self.path || requestPath.hasPrefix(self.path + "/")
    }
}
