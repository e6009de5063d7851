import Foundation
import Testing
import TrackhubCore

/// `dispatchd diagnose` and `dispatchd support-bundle` as an operator runs them: real processes
/// over a seeded database.
@Suite("dispatchd diagnose / support-bundle", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis, Postgres and the built binaries)"))
struct InsightCommandTests {
    @Test("diagnose answers in pt-BR with the planted unmatched sale as evidence; support-bundle writes a 0600 file without the buyer's e-mail or the sealed token")
    func commands() async throws {
        try await InsightFixture.with { f in
            let dir = try TestEnvironment.scratchDirectory("insight-cli")
            try f.click(ClickID.generate())
            try f.sale("HP0777", email: "comprador@example.com", tracking: TrackingParameters(utmContent: "anuncio-7"))

            let unmatched = try await f.dispatchd(["diagnose", "a venda não casou com o clique"], in: dir)
            try unmatched.requireSuccess("dispatchd diagnose")
            #expect(unmatched.stdout.contains("[problema] A venda não casou com o clique"))
            #expect(unmatched.stdout.contains("Pedido HP0777 (hotmart, R$ 197,90") && unmatched.stdout.contains("anuncio-7"))
            #expect(unmatched.stdout.contains("→ Verificar a página de vendas"))

            let english = try await f.dispatchd(["diagnose", "token_expired", "--english", "--tenant", InsightFixture.shop], in: dir)
            try english.requireSuccess("dispatchd diagnose token_expired")
            #expect(english.stdout.contains("The token expired") && english.stdout.contains("Pixel 111 sent no events in the last 7 days"))

            let unknown = try await f.dispatchd(["diagnose", "bom dia"], in: dir)
            #expect(unknown.status != 0 && unknown.stderr.contains("token_expired"))

            let path = dir + "/bundle.json"
            let bundle = try await f.dispatchd(["support-bundle", "--output", path], in: dir)
            try bundle.requireSuccess("dispatchd support-bundle")
            #expect(bundle.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == path)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let json = try String(contentsOfFile: path, encoding: .utf8)
            #expect(json.contains("\"kind\":\"trackhub-support-bundle\"") && json.contains("\"sale_not_matched\""))
            #expect(!json.contains("comprador") && !json.contains("U0VBTEVE"))
        }
    }
}
