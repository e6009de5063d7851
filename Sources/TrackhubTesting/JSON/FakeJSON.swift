public import Foundation

/// Any JSON value, exactly as a fake server received it (or as a test writes a payload).
///
/// The fakes keep what arrived as this tree, not as our own models decode it, so tests check
/// the bytes Trackhub really sent, including fields a model would silently drop or rename.
/// Parsed with Foundation's `JSONDecoder` (see `FakeJSON+Codable.swift`): a test library's
/// reader, deliberately independent of the production JSON reader it helps to test.
public enum FakeJSON: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int`.
    case int(Int)
    case double(Double)
    case string(String)
    case array([FakeJSON])
    case object([String: FakeJSON])

    /// Parses a complete JSON document; nil when `bytes` is not valid JSON.
    public static func parse(_ bytes: [UInt8]) -> FakeJSON? {
        try? JSONDecoder().decode(FakeJSON.self, from: Data(bytes))
    }

    /// Parses JSON text; nil when it is not valid JSON.
    public static func parse(_ text: String) -> FakeJSON? {
        parse(Array(text.utf8))
    }

    /// Compact JSON with sorted keys (stable, so it can be compared and logged).
    public var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "<unencodable>"
    }

    public var description: String { jsonText }

    // MARK: Access

    public subscript(key: String) -> FakeJSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public subscript(index: Int) -> FakeJSON? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer, also from a double with no fractional part (`1700000000.0`).
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e15: return Int(value)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var arrayValue: [FakeJSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: [String: FakeJSON]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The value as Foundation objects (`[String: Any]`, `[Any]`, `NSNull`, ...), for code
    /// that prefers `JSONSerialization`-style access.
    public var anyValue: Any {
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
