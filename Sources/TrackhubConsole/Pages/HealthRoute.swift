import Hummingbird

/// `GET /healthz`: the console process answers (scripts/run and the unit's checks wait on it).
struct HealthRoute: ConsolePage {
    init(_ deps: ConsoleDependencies) {}

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/healthz") { _, _ in "ok\n" }
    }
}
