import Foundation
import Testing
import TrackhubCore

@Suite("Troubleshooter: evidence in, a pt-BR answer with the evidence and a fix out")
struct TroubleshooterTests {
    static let now = Date(timeIntervalSince1970: 1_796_472_000) // 2026-12-05 12:00 UTC = 09h00 in Brasília
    static let pixel = "111"

    static func live(_ id: String = pixel, hasToken: Bool = true, mode: String = "live", pause: String? = nil, parked: Int = 0,
                     lastError: LedgerAttempt? = nil, lastSentAt: Date? = now) -> TroubleshootingEvidence.Pixel {
        TroubleshootingEvidence.Pixel(id: id, tenant: "shop", mode: mode, hasToken: hasToken, pause: pause, parked: parked,
                                      lastError: lastError, lastSentAt: lastSentAt)
    }

    static func refusal(code: Int, subcode: Int?, at: Date = now, message: String = "Error validating access token: Session has expired") -> LedgerAttempt {
        LedgerAttempt(id: 9, key: LedgerEventKey(pixel: pixel, eventName: "Purchase", eventID: "hotmart.HP9"), attempt: 1,
                      outcome: "parked", httpStatus: 400, metaCode: code, metaSubcode: subcode, metaMessage: message, at: at)
    }

    static func sale(_ id: String, matched: String? = nil, carried: [String] = [], clickIDs: [String] = [], status: String = "approved",
                     fate: LedgerFate? = .sent(fbtraceID: "Tr4ce")) -> TroubleshootingEvidence.Sale {
        let s = LedgerSale(id: Int64(id.hashValue & 0xffff), tenant: "shop", gateway: "hotmart", account: "main", transactionID: id,
                           status: status, value: "1234.5", currency: "BRL", occurredAt: now, recordedAt: now,
                           matchMethod: matched, matchedClickID: nil, carriedValues: carried, carriedClickIDs: clickIDs)
        let event = fate.map {
            LedgerEventSummary(key: LedgerEventKey(pixel: pixel, eventName: "Purchase", eventID: "hotmart.\(id)"), attempts: 1,
                               firstAt: now, lastAt: now, lastOutcome: "sent", fate: $0, conversionID: s.id)
        }
        return TroubleshootingEvidence.Sale(sale: s, event: event)
    }

    static let account = TroubleshootingEvidence.GatewayAccount(gateway: "hotmart", account: "main", tenant: "shop", lastReceivedAt: now, received: 12)

    @Test("the user's words pick the topic (accents and case ignored); unrelated text picks none")
    func topics() {
        #expect(TroubleshootingTopic.guess(from: "minhas vendas não aparecem no Meta") == .salesNotReachingMeta)
        #expect(TroubleshootingTopic.guess(from: "A venda NÃO casou com o clique") == .saleNotMatched)
        #expect(TroubleshootingTopic.guess(from: "token expirou") == .tokenExpired)
        #expect(TroubleshootingTopic.guess(from: "my sale was not attributed to the campaign") == .saleNotMatched)
        #expect(TroubleshootingTopic.guess(from: "bom dia") == nil)
    }

    @Test("token expired (190/463): the pixel, Meta's code and message, the waiting events, and 'trocar o token'")
    func expiredToken() {
        let e = TroubleshootingEvidence(collectedAt: Self.now, pixels: [
            Self.live(pause: "token: Error validating access token [token a1b2c3] (until a new token is applied)", parked: 14,
                      lastError: Self.refusal(code: 190, subcode: 463), lastSentAt: Self.now.addingTimeInterval(-86_400)),
        ])
        let d = Troubleshooter.diagnose(.tokenExpired, e)
        #expect(d.level == .problem && d.fixes.map(\.action) == [.replaceToken(pixel: "111")] && !d.needsHuman)
        #expect(d.summary.ptBR == "O token do pixel 111 precisa ser trocado.")
        let finding = d.findings[0]
        #expect(finding.text.ptBR.hasPrefix("Pixel 111: O token de acesso expirou (código 190/463)"))
        #expect(finding.evidence.map(\.ptBR) == [
            "Última recusa do Meta em 05/12/2026 09h00, código 190/463: “Error validating access token: Session has expired”",
            "Envio pausado até um novo token: 14 evento(s) aguardando, nenhum perdido.",
        ])
    }

    @Test("a refusal followed by an accepted send is over; a wrong pixel (100/33) reads as no access; no token is a problem")
    func otherTokenCases() {
        let recovered = Troubleshooter.diagnose(.tokenExpired, TroubleshootingEvidence(collectedAt: Self.now, pixels: [
            Self.live(lastError: Self.refusal(code: 190, subcode: 463, at: Self.now.addingTimeInterval(-3600)), lastSentAt: Self.now)]))
        #expect(recovered.level == .ok && recovered.findings[0].text.ptBR.contains("funciona"))
        let wrong = Troubleshooter.diagnose(.tokenExpired, TroubleshootingEvidence(collectedAt: Self.now, pixels: [
            Self.live(lastError: Self.refusal(code: 100, subcode: 33), lastSentAt: nil)]))
        #expect(wrong.level == .problem && wrong.findings[0].text.ptBR.contains("não tem acesso a este pixel"))
        let missing = Troubleshooter.diagnose(.tokenExpired, TroubleshootingEvidence(collectedAt: Self.now, pixels: [Self.live(hasToken: false)]))
        #expect(missing.level == .problem && missing.fixes.map(\.action) == [.replaceToken(pixel: "111")])
        let throttled = Self.refusal(code: 17, subcode: nil)
        #expect(MetaTokenProblem.explain(throttled) == nil)
    }

    @Test("sales not reaching Meta: a dry-run pixel, a silent gateway, dead-lettered sales with the replay proposed")
    func salesNotReaching() {
        let silent = TroubleshootingEvidence.GatewayAccount(gateway: "kiwify", account: "loja", tenant: "shop")
        let e = TroubleshootingEvidence(collectedAt: Self.now, pixels: [Self.live(mode: "dry_run")], accounts: [Self.account, silent],
                                        sales: [Self.sale("HP1", fate: .deadLettered), Self.sale("HP2", fate: .recordedOnly)],
                                        deadLetters: [DeadLetterGroup(reason: "retries_exhausted", count: 3, oldest: Self.now, newest: Self.now, expired: 1)])
        let d = Troubleshooter.diagnose(.salesNotReachingMeta, e)
        #expect(d.level == .problem && !d.needsHuman)
        #expect(d.fixes.map(\.action) == [.switchPixelToLive(pixel: "111"), .checkGatewayWebhook(gateway: "kiwify", account: "loja"),
                                          .replayDeadLetters(reason: "retries_exhausted")])
        #expect(d.fixes.last?.text.ptBR == "Reenviar 2 item(ns) da fila de falhas (retries_exhausted)")
        let dead = try! #require(d.findings.first { $0.text.ptBR.contains("fila de falhas") })
        #expect(dead.evidence.map(\.ptBR) == ["Pedido HP1 (hotmart, R$ 1.234,50, 05/12/2026 09h00): não enviado: está na fila de falhas"])
        #expect(d.findings.contains { $0.text.ptBR.contains("Nenhum webhook da kiwify (conta loja)") })
    }

    @Test("sales reaching Meta: the answer says so with the last sale and its fbtrace_id, and offers a person")
    func salesReaching() {
        let e = TroubleshootingEvidence(collectedAt: Self.now, pixels: [Self.live()], accounts: [Self.account],
                                        sales: [Self.sale("HP7"), Self.sale("HP6", status: "canceled", fate: nil)])
        let d = Troubleshooter.diagnose(.salesNotReachingMeta, e)
        #expect(d.level == .ok && d.needsHuman && d.fixes.isEmpty)
        #expect(d.findings.map(\.text.ptBR) == ["1 de 1 venda(s) aprovada(s) recentes chegaram ao Meta."])
        #expect(d.findings[0].evidence.first?.ptBR == "Pedido HP7 (hotmart, R$ 1.234,50, 05/12/2026 09h00), fbtrace_id Tr4ce")
    }

    @Test("unmatched sale: a click id Trackhub never saw, a parameter without a click id, or nothing carried — each with its likely cause")
    func unmatched() {
        let e = TroubleshootingEvidence(collectedAt: Self.now, pixels: [Self.live()], accounts: [Self.account],
                                        sales: [Self.sale("HP1", carried: ["01JEXAMPLECLICKID000000000"], clickIDs: ["01JEXAMPLECLICKID000000000"]),
                                                Self.sale("HP2", carried: ["fb-ads"]),
                                                Self.sale("HP3", fate: nil),
                                                Self.sale("HP4", matched: "click_id")],
                                        clicksLastDay: 40, lastClickAt: Self.now)
        let d = Troubleshooter.diagnose(.saleNotMatched, e)
        #expect(d.level == .warning)
        #expect(d.findings[0].text.ptBR == "3 de 4 venda(s) aprovada(s) recentes não casaram com um clique.")
        #expect(d.findings[1].evidence.first?.ptBR.contains("trouxe o clique 01JEXAMPLECLICKID000000000, que não está registrado neste Trackhub; foi enviada ao Meta mesmo assim") == true)
        #expect(d.findings[2].evidence.first?.ptBR.contains("trouxe “fb-ads”, que não é um clique do Trackhub") == true)
        #expect(d.findings[3].evidence.first?.ptBR == "Pedido HP3 (hotmart, R$ 1.234,50, 05/12/2026 09h00): não trouxe nenhum parâmetro de rastreamento")
        #expect(d.fixes.map(\.action) == [.checkTrackingLink, .checkLandingPage])
    }

    @Test("no clicks at all in a day: the ads do not use the tracking link; every sale matched: all good")
    func clicksAndAllMatched() {
        let none = Troubleshooter.diagnose(.saleNotMatched, TroubleshootingEvidence(collectedAt: Self.now, pixels: [Self.live()],
                                                                                      sales: [Self.sale("HP1")], clicksLastDay: 0))
        #expect(none.level == .problem && none.findings[0].text.ptBR.hasPrefix("Nenhum clique registrado nas últimas 24 horas"))
        #expect(none.fixes.first?.action == .checkTrackingLink)
        let good = Troubleshooter.diagnose(.saleNotMatched, TroubleshootingEvidence(collectedAt: Self.now, pixels: [Self.live()],
            sales: [Self.sale("HP1", matched: "click_id"), Self.sale("HP2", matched: "email")], clicksLastDay: 5))
        #expect(good.level == .ok && good.findings[0].text.ptBR == "Todas as 2 venda(s) aprovada(s) recentes casaram com um clique (click_id: 1, email: 1).")
    }

    @Test("no pixel at all: configure one")
    func noPixel() {
        let d = Troubleshooter.diagnose(.salesNotReachingMeta, TroubleshootingEvidence(collectedAt: Self.now))
        #expect(d.level == .problem && d.fixes.map(\.action) == [.configurePixel])
    }
}
