import TrackhubCore

/// What the seller typed on Privacidade to name the person a request (LGPD art. 18) is about —
/// checked by pure functions before anything is searched, so a typo never turns into "nothing
/// found" (which a seller would read as "we hold nothing about them"). Each problem names its
/// field in the seller's words; the values themselves never leave the request (no log, no audit,
/// no URL: the page posts them).
struct PrivacyRequestForm: Sendable, Equatable {
    var email = ""
    var phone = ""
    var cpf = ""
    var externalID = ""
    var telegramUserID = ""

    /// The form's fields, by their `name` in the templates.
    enum Field: String, Sendable, CaseIterable {
        case email, phone, cpf
        case externalID = "external_id"
        case telegramUserID = "telegram_user_id"
    }

    /// Why the form cannot be searched: the field (nil: the form as a whole) and what to do.
    struct Problem: Sendable, Equatable {
        let field: Field?
        let text: InsightText
    }

    /// The longest value a field takes (an e-mail's limit; ids are far shorter).
    static let maxLength = 320

    init(email: String = "", phone: String = "", cpf: String = "", externalID: String = "", telegramUserID: String = "") {
        self.email = email
        self.phone = phone
        self.cpf = cpf
        self.externalID = externalID
        self.telegramUserID = telegramUserID
    }

    init(_ form: ConsoleForm) {
        self.init(email: form.trimmed(Field.email.rawValue), phone: form.trimmed(Field.phone.rawValue), cpf: form.trimmed(Field.cpf.rawValue),
                  externalID: form.trimmed(Field.externalID.rawValue), telegramUserID: form.trimmed(Field.telegramUserID.rawValue))
    }

    func value(_ field: Field) -> String {
        switch field {
        case .email: email
        case .phone: phone
        case .cpf: cpf
        case .externalID: externalID
        case .telegramUserID: telegramUserID
        }
    }

    /// The fields filled in, in the form's order.
    var filled: [Field] { Field.allCases.filter { !value($0).isEmpty } }

    /// Everything wrong with the form; empty when it can be searched.
    var problems: [Problem] {
        guard !filled.isEmpty else {
            return [Problem(field: nil, text: InsightText(
                "Preencha pelo menos um dado da pessoa: e-mail, telefone, CPF, id externo ou id do Telegram.",
                en: "Fill in at least one of the person's details: e-mail, phone, CPF, external id or Telegram id."))]
        }
        return filled.compactMap { field in
            value(field).count > Self.maxLength ? Self.tooLong(field) : Self.problem(field, value(field))
        }
    }

    /// The problem of one filled field, nil when it is usable.
    static func problem(_ field: Field, _ value: String) -> Problem? {
        switch field {
        case .email:
            guard MetaNormalize.email(value) == nil else { return nil }
            return Problem(field: field, text: InsightText("E-mail: “nome@dominio.com.br” — confira se não falta o @ ou o domínio.",
                                                           en: "E-mail: “name@domain.com” — check the @ and the domain."))
        case .phone:
            let digits = value.filter(\.isNumber)
            let allowed = value.allSatisfy { $0.isASCII && ($0.isNumber || " ()-.+".contains($0)) }
            guard !allowed || !(10...15).contains(digits.count) else { return nil }
            return Problem(field: field, text: InsightText("Telefone: o número com DDD, só dígitos (ex.: 11 98765-4321 ou +55 11 98765-4321).",
                                                           en: "Phone: the number with its area code, digits only (e.g. 11 98765-4321 or +55 11 98765-4321)."))
        case .cpf:
            let allowed = value.allSatisfy { $0.isASCII && ($0.isNumber || ".-/ ".contains($0)) }
            let digits = value.filter(\.isNumber)
            if allowed && BrazilianDocumentCheck.isValid(digits) { return nil }
            if allowed && (digits.count == 11 || digits.count == 14) {
                return Problem(field: field, text: InsightText("CPF: os dígitos verificadores não conferem — confira o número com a pessoa.",
                                                               en: "CPF: the check digits do not match — check the number with the person."))
            }
            return Problem(field: field, text: InsightText("CPF: 11 dígitos (ou os 14 de um CNPJ), com ou sem pontos e traço.",
                                                           en: "CPF: 11 digits (or a CNPJ's 14), with or without dots and dash."))
        case .externalID:
            return nil
        case .telegramUserID:
            if let id = Int64(value), id > 0 { return nil }
            return Problem(field: field, text: InsightText("Id do Telegram: só o número que o bot mostra (ex.: 123456789).",
                                                           en: "Telegram id: only the number the bot shows (e.g. 123456789)."))
        }
    }

    static func tooLong(_ field: Field) -> Problem {
        Problem(field: field, text: InsightText("Esse campo passou de \(maxLength) caracteres: cole só o dado da pessoa.",
                                                en: "This field is over \(maxLength) characters: paste only the person's detail."))
    }

    /// The person as the eraser and the export take them, read with the tenant's normaliser.
    /// Call only when ``problems`` is empty; the normaliser may still refuse a phone it cannot
    /// read in the tenant's country (``problem(for:)``).
    func subject(tenant: String, normalizer: UserDataNormalizer) throws(ErasureSubject.Invalid) -> ErasureSubject {
        func given(_ s: String) -> String? { s.isEmpty ? nil : s }
        return try ErasureSubject.make(tenant: tenant, email: given(email), phone: given(phone), cpf: given(cpf),
                                       externalID: given(externalID), telegramUserID: given(telegramUserID), normalizer: normalizer)
    }

    /// A refusal of ``ErasureSubject/make`` in the seller's words, on the field it names.
    static func problem(for invalid: ErasureSubject.Invalid) -> Problem {
        let named = Field.allCases.first { invalid.description.hasPrefix("--" + String($0.rawValue.map { $0 == "_" ? "-" : $0 })) }
        if let named, let problem = problem(named, "") { return problem }
        return Problem(field: nil, text: InsightText("Esses dados não servem para buscar ninguém: confira cada campo.",
                                                     en: "These details cannot find anyone: check each field."))
    }

    /// The filled fields as hidden inputs (`name`, `value`), carried by the export and erase forms.
    var hiddenFields: [[String: String]] {
        filled.map { ["name": $0.rawValue, "value": value($0)] }
    }
}
