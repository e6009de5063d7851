/// Customer information exactly as a gateway, form or landing page gave it: un-normalized and
/// un-hashed. Feed it to `UserDataNormalizer` to get what Meta may receive.
///
/// Every field is optional because every source gives a different subset. Values are stored
/// untouched so a later normalizer fix can be replayed over stored input. This is personal data:
/// keep it sealed at rest (see `Envelope.Track.user`); `description` is redacted so that
/// string interpolation into a log line cannot leak it.
public struct RawUserData: Sendable, Codable, Equatable, Hashable {
    public var email: String?
    /// Any format: "+55 (11) 98765-4321", "11987654321", "0055 11 98765 4321", "+1 650 555 1212".
    public var phone: String?
    public var firstName: String?
    public var lastName: String?
    public var city: String?
    /// A code ("SP", "CA") or a full name ("São Paulo").
    public var state: String?
    public var zip: String?
    /// An ISO 3166-1 code ("BR", "BRA") or a name in English, Portuguese or Spanish ("Brasil").
    public var country: String?
    /// "1997-02-16", "16/02/1997", "19970216", or an ISO-8601 timestamp.
    public var dateOfBirth: String?
    /// "m", "f", "male", "female", "masculino", "feminino", …
    public var gender: String?
    /// Our own stable customer id (gateway buyer id, CRM id, …).
    public var externalId: String?

    public init(
        email: String? = nil, phone: String? = nil, firstName: String? = nil, lastName: String? = nil,
        city: String? = nil, state: String? = nil, zip: String? = nil, country: String? = nil,
        dateOfBirth: String? = nil, gender: String? = nil, externalId: String? = nil
    ) {
        self.email = email; self.phone = phone; self.firstName = firstName; self.lastName = lastName
        self.city = city; self.state = state; self.zip = zip; self.country = country
        self.dateOfBirth = dateOfBirth; self.gender = gender; self.externalId = externalId
    }

    /// True when no field holds anything but whitespace.
    public var isEmpty: Bool {
        [email, phone, firstName, lastName, city, state, zip, country, dateOfBirth, gender, externalId]
            .allSatisfy { $0.map { $0.allSatisfy(\.isWhitespace) } ?? true }
    }
}

extension RawUserData: CustomStringConvertible, CustomDebugStringConvertible {
    /// Redacted: says which fields are present, shows only masked email/phone.
    public var description: String {
        var parts: [String] = []
        if let email { parts.append("email: \(Redact.email(email))") }
        if let phone { parts.append("phone: \(Redact.phone(phone))") }
        let others: [(String, String?)] = [
            ("firstName", firstName), ("lastName", lastName), ("city", city), ("state", state),
            ("zip", zip), ("country", country), ("dateOfBirth", dateOfBirth), ("gender", gender),
            ("externalId", externalId),
        ]
        for (name, value) in others where value != nil {
            parts.append("\(name): <redacted>")
        }
        return "RawUserData(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }
}
