public import Foundation

/// A buyer as the checkout collected them (clear text: dispatchd hashes it).
public struct GatewayBuyer: Sendable {
    public var email: String
    public var firstName: String
    public var lastName: String
    /// National number with area code, as Brazilian checkouts collect it.
    public var phone: String
    public var city: String
    public var state: String
    public var zip: String
    public var document: String
    public var ip: String

    public init(
        email: String, firstName: String = "Mariana", lastName: String = "Souza Lima", phone: String = "11987654321",
        city: String = "São Paulo", state: String = "SP", zip: String = "04101-300", document: String = "123.456.789-09",
        ip: String = "203.0.113.45"
    ) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.city = city
        self.state = state
        self.zip = zip
        self.document = document
        self.ip = ip
    }

    /// `name` split at its first space into first and last name.
    public init(email: String, name: String, phone: String? = nil) {
        let parts = name.split(separator: " ", maxSplits: 1)
        self.init(email: email, firstName: parts.first.map(String.init) ?? "", lastName: parts.count > 1 ? String(parts[1]) : "")
        if let phone { self.phone = phone }
    }

    public var fullName: String { lastName.isEmpty ? firstName : "\(firstName) \(lastName)" }

    /// A buyer with an email address no other test uses.
    public static func unique(_ tag: String) -> GatewayBuyer {
        GatewayBuyer(email: "\(tag).\(UUID().uuidString.prefix(6).lowercased())@cliente.test")
    }
}
