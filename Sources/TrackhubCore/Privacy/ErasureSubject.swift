public import Foundation

/// The person an access or erasure request is about (LGPD art. 18), as Trackhub stored them:
/// the identifiers the operator typed, normalised and hashed by the tenant's
/// ``UserDataNormalizer`` exactly as the dispatch did when it stored them (so every stored hash
/// is found), plus the few clear forms that can be searched for inside sealed raw webhook
/// bodies once they are opened in memory.
///
/// Built by a pure function; the clear values are kept only in memory for the body scan and
/// never printed: `description` says how many hashes of each kind, nothing more.
public struct ErasureSubject: Sendable, Equatable, CustomStringConvertible {
    public var tenant: String
    /// SHA-256 of the normalised e-mail (Meta's `em`).
    public var emailHashes: [String]
    /// SHA-256 of the normalised phone, every form the normaliser sends (Meta's `ph`).
    public var phoneHashes: [String]
    /// SHA-256 of the normalised external id, of the CPF/CNPJ digits (the sale path sends a
    /// buyer's document as `external_id`) and of a Telegram user (``TelegramUserIdentity``: the
    /// `external_id` their bot events carry and the key of their bot user ↔ click link).
    public var externalIDHashes: [String]
    /// Lowercased clear values searched for in opened webhook bodies: the e-mail, the CPF as
    /// digits and as `000.000.000-00`. Phones are recognised by parsing the body instead.
    var needles: [String]

    /// Why a request cannot be built.
    public struct Invalid: Error, CustomStringConvertible, Sendable, Equatable {
        public let description: String
    }

    /// Reads what the operator typed. `normalizer` is the tenant's (its default country and
    /// calling code decide how a phone without "+55" is read). `telegramUserID` is the
    /// person's numeric Telegram id (a bot shows it); `externalID` may also be the hash
    /// Trackhub keeps for a Telegram user. Throws when nothing usable was given: an erasure
    /// that matches nobody must not look like one that succeeded.
    public static func make(
        tenant: String, email: String? = nil, phone: String? = nil, cpf: String? = nil, externalID: String? = nil,
        telegramUserID: String? = nil, normalizer: UserDataNormalizer
    ) throws(Invalid) -> ErasureSubject {
        let em = email.map { normalizer.normalize(RawUserData(email: $0)).em } ?? []
        let ph = phone.map { normalizer.normalize(RawUserData(phone: $0)).ph } ?? []
        var xid: [String] = []
        var needles: [String] = []
        if let email, !em.isEmpty, let clear = MetaNormalize.email(email) { needles.append(clear) }
        if let cpf {
            guard let digits = SalesPerson.brazilianDocument(cpf) else {
                throw Invalid(description: "--cpf is not a CPF (11 digits) or CNPJ (14 digits)")
            }
            guard BrazilianDocumentCheck.isValid(digits) else {
                throw Invalid(description: "--cpf: the check digits do not match (a mistyped number would find nobody); check it with the person")
            }
            xid += normalizer.normalize(RawUserData(externalId: digits)).externalId
            needles.append(digits)
            if digits.count == 11 { needles.append(formattedCPF(digits)) }
        }
        if let externalID {
            let hashed = normalizer.normalize(RawUserData(externalId: externalID)).externalId
            if hashed.isEmpty { throw Invalid(description: "--external-id is empty") }
            xid += hashed
        }
        if let telegramUserID {
            guard let id = Int64(telegramUserID.trimmingCharacters(in: .whitespaces)), id > 0 else {
                throw Invalid(description: "--telegram-user-id is not a Telegram user id (a positive number)")
            }
            xid.append(TelegramUserIdentity.externalID(userID: id))
        }
        if email != nil && em.isEmpty { throw Invalid(description: "--email is not an e-mail address") }
        if phone != nil && ph.isEmpty { throw Invalid(description: "--phone is not a phone number") }
        guard !tenant.isEmpty else { throw Invalid(description: "--tenant is required") }
        guard !(em.isEmpty && ph.isEmpty && xid.isEmpty) else {
            throw Invalid(description: "give at least one of --email, --phone, --cpf, --external-id, --telegram-user-id")
        }
        return ErasureSubject(tenant: tenant, emailHashes: unique(em), phoneHashes: unique(ph),
                              externalIDHashes: unique(xid), needles: unique(needles))
    }

    /// Every hash, of every kind.
    public var allHashes: [String] { Self.unique(emailHashes + phoneHashes + externalIDHashes) }

    /// True when `hashed` (a stored event's or a parsed buyer's) shares an identifier with
    /// this person.
    public func matches(_ hashed: HashedUserData) -> Bool {
        !Set(hashed.em).isDisjoint(with: emailHashes) || !Set(hashed.ph).isDisjoint(with: phoneHashes)
            || !Set(hashed.externalId).isDisjoint(with: externalIDHashes)
    }

    /// True when a bot update was sent by this person: its sender's ``TelegramUserIdentity``
    /// hash is one of ``externalIDHashes``.
    public func sent(telegramUpdate body: [UInt8]) -> Bool {
        guard let sender = TelegramUpdateRoute.sender(body) else { return false }
        return externalIDHashes.contains(TelegramUserIdentity.externalID(userID: sender))
    }

    /// True when an opened raw body names this person in clear (the e-mail in any case, the CPF
    /// with or without punctuation).
    public func appears(inBody body: [UInt8]) -> Bool {
        guard !needles.isEmpty else { return false }
        let text = String(decoding: body, as: UTF8.self).lowercased()
        return needles.contains { text.contains($0) }
    }

    /// True when stored text (a JSON payload) holds one of the hashes.
    public func appears(inText text: String) -> Bool {
        allHashes.contains { text.contains($0) }
    }

    public var description: String {
        "ErasureSubject(tenant: \(tenant), em: \(emailHashes.count), ph: \(phoneHashes.count), external_id: \(externalIDHashes.count))"
    }

    static func formattedCPF(_ d: String) -> String {
        let c = Array(d)
        return String(c[0..<3]) + "." + String(c[3..<6]) + "." + String(c[6..<9]) + "-" + String(c[9..<11])
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
