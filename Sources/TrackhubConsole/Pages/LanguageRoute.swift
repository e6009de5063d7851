import Hummingbird

/// `POST /language`: the pt-BR / English switch. Sets the language cookie, remembers the choice
/// for a logged-in user, and goes back to the page it came from.
struct LanguageRoute: ConsolePage {
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    func register(on router: Router<ConsoleRequestContext>) {
        router.post("/language") { _, context in
            let language = ConsoleLanguage(code: context.form["lang"])
            if let user = context.session?.user { try await deps.store.setLanguage(language, userID: user.id) }
            var response = ConsoleRenderer.redirect(ConsoleCookies.localPath(context.form["back"]))
            response.setCookie(ConsoleCookies.language(language, secure: deps.configuration.secureCookies))
            return response
        }
    }
}
