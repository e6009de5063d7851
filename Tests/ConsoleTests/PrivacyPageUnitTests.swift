import Foundation
import Testing
@testable import TrackhubConsole
import TrackhubCore

@Suite("Privacidade: the request form's checks and the page's rows")
struct PrivacyPageUnitTests {
    @Test("nothing filled is refused as a whole; each bad field is named in pt-BR and English")
    func problems() {
        let empty = PrivacyRequestForm().problems
        #expect(empty.count == 1 && empty[0].field == nil && empty[0].text.ptBR.contains("pelo menos um") && empty[0].text.en.contains("at least one"))
        let bad = PrivacyRequestForm(email: "maria.gmail.com", phone: "1234", cpf: "529.982.247-26", telegramUserID: "-5").problems
        #expect(bad.map(\.field) == [.email, .phone, .cpf, .telegramUserID])
        #expect(bad[0].text.ptBR.hasPrefix("E-mail") && bad[1].text.ptBR.hasPrefix("Telefone") && bad[3].text.ptBR.hasPrefix("Id do Telegram"))
        #expect(bad[2].text.ptBR.contains("dígitos verificadores"), "a CPF of 11 digits with wrong check digits says so")
        #expect(PrivacyRequestForm(cpf: "123").problems.first?.text.ptBR.contains("11 dígitos") == true)
        #expect(PrivacyRequestForm(cpf: "<script>").problems.first?.field == .cpf)
        #expect(PrivacyRequestForm(externalID: String(repeating: "x", count: 321)).problems.first?.field == .externalID)
        #expect(PrivacyRequestForm(email: "<img src=x onerror=alert(1)>@x").problems.first?.field == .email)
    }

    @Test("usable values pass: e-mail, phones with or without +55, CPF and CNPJ with or without punctuation, any external id")
    func usable() {
        for form in [
            PrivacyRequestForm(email: "Maria.Silva@Exemplo.com.br"), PrivacyRequestForm(phone: "(11) 98765-4321"),
            PrivacyRequestForm(phone: "+55 11 98765-4321"), PrivacyRequestForm(cpf: "529.982.247-25"), PrivacyRequestForm(cpf: "52998224725"),
            PrivacyRequestForm(cpf: "11.222.333/0001-81"), PrivacyRequestForm(externalID: "cliente-42"),
            PrivacyRequestForm(telegramUserID: "6300000001"),
        ] {
            #expect(form.problems.isEmpty, "\(form.filled)")
        }
    }

    @Test("the form reads the posted fields trimmed; hidden fields carry only the filled ones")
    func formFields() throws {
        let form = PrivacyRequestForm(ConsoleForm(body: Array("email=+maria%40exemplo.com+&cpf=&telegram_user_id=42&tenant=loja".utf8)))
        #expect(form == PrivacyRequestForm(email: "maria@exemplo.com", telegramUserID: "42"))
        #expect(form.filled == [.email, .telegramUserID])
        #expect(form.hiddenFields == [["name": "email", "value": "maria@exemplo.com"], ["name": "telegram_user_id", "value": "42"]])
        let subject = try form.subject(tenant: "loja", normalizer: UserDataNormalizer())
        #expect(subject.emailHashes == UserDataNormalizer().normalize(RawUserData(email: "maria@exemplo.com")).em)
        #expect(subject.externalIDHashes == [TelegramUserIdentity.externalID(userID: 42)])
    }

    @Test("a refusal of the core is put on the field it names")
    func coreRefusal() {
        func refusal(_ make: () throws(ErasureSubject.Invalid) -> ErasureSubject) -> ErasureSubject.Invalid? {
            do { _ = try make(); return nil } catch { return error }
        }
        let n = UserDataNormalizer()
        let phone = refusal { () throws(ErasureSubject.Invalid) in try ErasureSubject.make(tenant: "loja", phone: "abc", normalizer: n) }
        let telegram = refusal { () throws(ErasureSubject.Invalid) in try ErasureSubject.make(tenant: "loja", telegramUserID: "x", normalizer: n) }
        let nothing = refusal { () throws(ErasureSubject.Invalid) in try ErasureSubject.make(tenant: "loja", normalizer: n) }
        #expect(phone.map(PrivacyRequestForm.problem(for:))?.field == .phone)
        #expect(telegram.map(PrivacyRequestForm.problem(for:))?.field == .telegramUserID)
        #expect(nothing != nil && nothing.map(PrivacyRequestForm.problem(for:))?.field == nil)
    }

    @Test("rows: every place in the seller's words, zeros included, totals; the audit summary holds counts only")
    func rows() throws {
        var f = PersonFootprint()
        f.touchpointIDs = [1, 2, 3]
        f.conversionIDs = [7]
        f.ledgerIDs = [10, 11]
        let model = PrivacyFootprintModel(footprint: f, waiting: 1)
        #expect(model.total == 7)
        let rows = model.rows(.portuguese)
        #expect(rows.map { $0["key"] as? String } == PrivacyFootprintModel.kinds.map(\.key))
        #expect(rows[0]["label"] as? String == "Cliques e eventos da página" && rows[0]["count"] as? String == "3")
        #expect(rows[1]["label"] as? String == "Vendas" && rows[3]["zero"] as? Bool == true)
        #expect(rows.first { $0["key"] as? String == "redis_retry_and_parked" }?["count"] as? String == "1")
        #expect(model.rows(.english)[1]["label"] as? String == "Sales")
        #expect(model.auditSummary == "touchpoints 3, conversions 1, webhook_inbox 0, dispatch_attempts 2, dead_letters 0, telegram_bot_users 0, redis_retry_and_parked 1")
    }

    @Test("the confirmation word in either language, any case; the export's file name is safe")
    func confirmationAndFileName() {
        #expect(PrivacyPage.confirms("APAGAR") && PrivacyPage.confirms(" apagar ") && PrivacyPage.confirms("Erase"))
        #expect(!PrivacyPage.confirms("") && !PrivacyPage.confirms("sim") && !PrivacyPage.confirms("APAGA"))
        let name = PrivacyPage.exportFileName(tenant: "loja-1\"; x", at: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(name == "lgpd-loja-1___x-20270115T080000.json", "\(name)")
    }
}
