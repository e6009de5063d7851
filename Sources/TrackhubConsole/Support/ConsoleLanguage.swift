/// The languages the console speaks: Brazilian Portuguese first (its users are Brazilian
/// sellers), English behind the switch. Each has one strings table (`Resources/strings`).
public enum ConsoleLanguage: String, Sendable, CaseIterable {
    case portuguese = "pt-BR"
    case english = "en"

    /// The language a cookie or a stored preference names; Portuguese for anything else.
    public init(code: String?) {
        self = code.flatMap(ConsoleLanguage.init(rawValue:)) ?? .portuguese
    }

    /// The `lang` attribute of `<html>`.
    public var htmlLang: String { rawValue }
}
