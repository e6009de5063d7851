/// A coding key from any string: maps whose keys are data (a gateway account's `settings`,
/// `custom_data`), Meta's snake_case names, and noticing keys a type does not know.
struct AnyCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init?(stringValue: String) { self.init(stringValue) }

    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
