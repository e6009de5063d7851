import Foundation
import Testing
import TrackhubCore

@Suite("Support bundle: redacted JSON, nothing personal or secret in it")
struct SupportBundleTests {
    @Test("scrub masks e-mails and phones and cuts token-like runs; ordinary words and ids stay")
    func scrub() {
        let s = SupportRedaction.scrub("buyer maria.silva@example.com.br phone +55 (11) 98765-4321 token EAABsbCS1iHgBAKZCZBZAxyz123456 order HP123 at 14:32")
        #expect(!s.contains("maria.silva") && s.contains("m***@e***.com.br"))
        #expect(!s.contains("98765") && s.contains("***21"))
        #expect(!s.contains("EAABsbCS1iHgBAKZCZBZ") && s.contains("…3456"))
        #expect(s.contains("order HP123 at 14:32"))
        let hash = "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"
        #expect(!SupportRedaction.scrub("em \(hash)").contains(hash))
        #expect(SupportRedaction.scrub("retries_exhausted: timeout after 12 attempts") == "retries_exhausted: timeout after 12 attempts")
    }

    @Test("the bundle is one JSON document with versions, configuration rows, status, errors and diagnoses, every text scrubbed")
    func bundle() throws {
        let at = Date(timeIntervalSince1970: 1_796_472_000)
        let error = LedgerAttempt(id: 1, key: LedgerEventKey(pixel: "111", eventName: "Purchase", eventID: "hotmart.HP1"), attempt: 2,
                                  outcome: "parked", httpStatus: 400, metaCode: 190, metaSubcode: 463,
                                  metaMessage: "token EAABsbCS1iHgBAKZCZBZAxyz123456 of joao@example.com expired", at: at)
        let bundle = SupportBundle(
            generatedAt: at, versions: [("trackhub", "test"), ("schema", "8")],
            configuration: [(section: "pixels", rows: [[("id", "111"), ("has_token", "yes"), ("mode", "live")]])],
            status: LiveStatus(collectedAt: at, lag: 0, pending: 0, sendsPerMinute: 3, retriesScheduled: 0, retriesInFlight: 0,
                               deadLetters: 1, pausedPixels: [LiveStatus.PausedPixel(pixel: "111", pause: "token", parked: 2)]),
            recentErrors: [error],
            diagnoses: [Troubleshooter.diagnose(.tokenExpired, TroubleshootingEvidence(collectedAt: at, pixels: [
                TroubleshootingEvidence.Pixel(id: "111", tenant: "shop", mode: "live", hasToken: true, pause: "token", parked: 2, lastError: error)]))])
        let json = bundle.json()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(parsed["kind"] as? String == "trackhub-support-bundle")
        #expect((parsed["versions"] as? [String: String])?["schema"] == "8")
        #expect(((parsed["configuration"] as? [String: Any])?["pixels"] as? [[String: String]])?.first?["has_token"] == "yes")
        #expect((parsed["status"] as? [String: Any])?["sends_per_minute"] as? Int == 3)
        #expect((parsed["recent_errors"] as? [[String: Any]])?.first?["meta_code"] as? String == "190/463")
        #expect((parsed["diagnoses"] as? [[String: Any]])?.first?["level"] as? String == "problem")
        #expect(!json.contains("joao@") && !json.contains("EAABsbCS1iHgBAKZCZBZ"))
        #expect(bundle.fileName == "trackhub-suporte-20261205-0900.json")
    }

    @Test("money and dates in pt-BR and English")
    func formats() {
        #expect(InsightFormat.money("1234567.5", currency: "BRL") == "R$ 1.234.567,50")
        #expect(InsightFormat.money("1234.5", currency: "BRL", english: true) == "BRL 1,234.50")
        #expect(InsightFormat.money("-10", currency: "usd") == "-USD 10,00")
        #expect(InsightFormat.money(nil, currency: nil) == "-")
        #expect(InsightFormat.integer(14223) == "14.223" && InsightFormat.integer(-1234567, english: true) == "-1,234,567")
        let at = Date(timeIntervalSince1970: 1_796_472_000)
        #expect(InsightFormat.dateTime(at) == "05/12/2026 09h00" && InsightFormat.dateTime(at, english: true) == "2026-12-05 09:00")
    }
}
