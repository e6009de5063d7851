import Foundation

/// Any JSON value, as the fake Meta server received it.
///
/// The fake keeps every accepted event as it arrived (not as our own `CAPIEvent` model
/// decodes it), so integration tests check the bytes we really sent, including fields our
/// model would silently drop or rename.
enum FakeMetaJSON: Sendable, Hashable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int`.
    case int(Int)
    case double(Double)
    case string(String)
    case array([FakeMetaJSON])
    case object([String: FakeMetaJSON])

    /// Parses a complete JSON document; nil when `bytes` is not valid JSON.
    static func parse(_ bytes: [UInt8]) -> FakeMetaJSON? {
        try? JSONDecoder().decode(FakeMetaJSON.self, from: Data(bytes))
    }

    /// Parses JSON text; nil when it is not valid JSON.
    static func parse(_ text: String) -> FakeMetaJSON? {
        parse(Array(text.utf8))
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([FakeMetaJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: FakeMetaJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Compact JSON with sorted keys (stable, so it can be compared and logged).
    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "<unencodable>"
    }

    var description: String { jsonText }

    // MARK: Access

    subscript(key: String) -> FakeMetaJSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    subscript(index: Int) -> FakeMetaJSON? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer, also from a double with no fractional part (`1700000000.0`).
    var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e15: return Int(value)
        default: return nil
        }
    }

    var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var arrayValue: [FakeMetaJSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var objectValue: [String: FakeMetaJSON]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The value as Foundation objects (`[String: Any]`, `[Any]`, `NSNull`, ...), for code
    /// that prefers `JSONSerialization`-style access.
    var anyValue: Any {
        switch self {
        case .null: NSNull()
        case .bool(let value): value
        case .int(let value): value
        case .double(let value): value
        case .string(let value): value
        case .array(let value): value.map(\.anyValue)
        case .object(let value): value.mapValues(\.anyValue)
        }
    }
}

/// Literals, so tests can write payloads inline:
/// `["data": [["event_name": "Purchase", "event_time": 1_700_000_000]]]`.
extension FakeMetaJSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    init(nilLiteral: ()) { self = .null }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(floatLiteral value: Double) { self = .double(value) }
    init(stringLiteral value: String) { self = .string(value) }
    init(arrayLiteral elements: FakeMetaJSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, FakeMetaJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
