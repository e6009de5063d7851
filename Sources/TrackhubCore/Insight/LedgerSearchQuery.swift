/// What a ledger search box was given, decided before any query runs: an identifier (order id,
/// click id, event id), a buyer's e-mail, or a buyer's phone.
///
/// E-mails and phones are normalised and hashed here, with the same ``UserDataNormalizer``
/// (and so the same ``MetaHash``) the dispatch used when it stored them, so the search finds
/// exactly what was stored; the clear value is not kept in the query, and its description is
/// redacted. A number that could be a phone could also be an order id (Mercado Pago's payment
/// ids are digits), so digits are searched both ways.
public struct LedgerSearchQuery: Sendable, Equatable, CustomStringConvertible {
    /// What the input looked like.
    public enum Kind: String, Sendable, Equatable {
        case empty
        case identifier
        case email
        case phone
    }

    public var kind: Kind
    /// Searched as an order id (`conversions.transaction_id`), a click id and an event id.
    public var identifier: String?
    /// SHA-256 of the normalised e-mail (one per distinct normaliser configuration).
    public var emailHashes: [String]
    /// SHA-256 of the normalised phone, every form the normalisers produce (Brazilian mobiles
    /// with and without the ninth digit).
    public var phoneHashes: [String]

    public init(kind: Kind, identifier: String? = nil, emailHashes: [String] = [], phoneHashes: [String] = []) {
        self.kind = kind
        self.identifier = identifier
        self.emailHashes = emailHashes
        self.phoneHashes = phoneHashes
    }

    /// The longest identifier searched: ids in the ledger are at most 100 characters
    /// (``Conversion/maxEventIDLength``); gateway transaction ids are shorter still.
    public static let maxIdentifierLength = 200

    /// Reads a search box. `normalizers` are those of the tenants in scope (their default
    /// country and calling code decide how a phone typed without "+55" is read); the hashes of
    /// each are searched.
    public static func parse(_ input: String, normalizers: [UserDataNormalizer] = [UserDataNormalizer()]) -> LedgerSearchQuery {
        let trimmed = String(input.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
        guard !trimmed.isEmpty else { return LedgerSearchQuery(kind: .empty) }
        let configs = normalizers.isEmpty ? [UserDataNormalizer()] : normalizers
        if trimmed.contains("@") {
            let hashes = unique(configs.flatMap { $0.normalize(RawUserData(email: trimmed)).em })
            if !hashes.isEmpty { return LedgerSearchQuery(kind: .email, emailHashes: hashes) }
        }
        let identifier = trimmed.count <= maxIdentifierLength ? trimmed : nil
        if looksLikePhone(trimmed) {
            let hashes = unique(configs.flatMap { $0.normalize(RawUserData(phone: trimmed)).ph })
            if !hashes.isEmpty {
                // Typed with a "+", spaces or brackets, it is no order id.
                let plainDigits = trimmed.allSatisfy(\.isASCIIDigit)
                return LedgerSearchQuery(kind: .phone, identifier: plainDigits ? identifier : nil, phoneHashes: hashes)
            }
        }
        if MetaHash.isSHA256Hex(trimmed) {
            // A hash pasted from a payload: it may be any of the three.
            return LedgerSearchQuery(kind: .identifier, identifier: trimmed, emailHashes: [trimmed], phoneHashes: [trimmed])
        }
        guard let identifier else { return LedgerSearchQuery(kind: .empty) }
        return LedgerSearchQuery(kind: .identifier, identifier: identifier)
    }

    /// Digits with the punctuation people type in phone numbers, 8 to 15 digits (E.164's
    /// maximum), nothing else.
    static func looksLikePhone(_ s: String) -> Bool {
        var digits = 0
        for c in s {
            if c.isASCIIDigit { digits += 1 } else if !" +-().".contains(c) { return false }
        }
        return (8...15).contains(digits)
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// Redacted: the kind and how many hashes, never the e-mail, phone or their hashes.
    public var description: String {
        switch kind {
        case .empty: "LedgerSearchQuery(empty)"
        case .identifier: "LedgerSearchQuery(identifier, \(identifier?.count ?? 0) characters)"
        case .email: "LedgerSearchQuery(email, \(emailHashes.count) hash(es))"
        case .phone: "LedgerSearchQuery(phone, \(phoneHashes.count) hash(es)\(identifier == nil ? "" : ", also as an id"))"
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
