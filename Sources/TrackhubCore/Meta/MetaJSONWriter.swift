/// A small JSON writer producing byte for byte what `MetaJSON.makeEncoder()` (Foundation's
/// `JSONEncoder` with `.sortedKeys, .withoutEscapingSlashes`) produces, without Codable's
/// containers and boxing: dispatchd encodes every event it sends, and `JSONEncoder` was a fifth of
/// its CPU time. The formats it copies, checked by `CAPIEventJSONTests` against `JSONEncoder`:
/// - strings: `"` `\` escaped, `\b \f \n \r \t`, other bytes below 0x20 as `\u00xx`; `/`,
///   DEL and non-ASCII written as they are;
/// - doubles: Swift's shortest round-trip `description` without a trailing `.0`;
/// - object keys sorted by their UTF-8 bytes.
struct MetaJSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    /// One object member; the value is written by the caller through the writer it is given.
    typealias Member = (key: String, write: (inout MetaJSONWriter) -> Void)

    /// An object with `members` in sorted key order.
    mutating func object(_ members: [Member]) {
        bytes.append(UInt8(ascii: "{"))
        for (i, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            string(member.key)
            bytes.append(UInt8(ascii: ":"))
            member.write(&self)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func array(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An array whose elements are written by the caller, in order.
    mutating func array(writing elements: [(inout MetaJSONWriter) -> Void]) {
        bytes.append(UInt8(ascii: "["))
        for (i, write) in elements.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            write(&self)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func int(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// A finite double (the caller rejects NaN and infinities, as `JSONEncoder` does).
    mutating func double(_ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// A string with `JSONEncoder`'s escapes (`\b`, `\f`, `\n`, `\r`, `\t`, `\u00XX`; `/` and
    /// DEL as they are).
    mutating func string(_ value: String) {
        JSONStringBytes.append(value, to: &bytes, needsEscape: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) { b, out in
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
            case 0x08: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            default: JSONStringBytes.appendUnicodeEscape(b, to: &out)
            }
        }
    }
}
