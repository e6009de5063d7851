/// A JSON document that keeps every number as the exact text it was sent as, read by
/// ``JSONReader``.
///
/// Why numbers as text, not `JSONSerialization`/`Codable`: money must never pass through
/// `Double` (Eduzz sends `301.5`, Mercado Pago `150.75`; as binary floating point those are not
/// the amounts paid), ids arrive as `123` or `"123"`, and long ids overflow a `Double`. Keeping
/// the literal lets each reader decide how to interpret it — the gateway parsers tolerantly
/// (`JSONValue+Gateway.swift`), envelope decoding strictly, Meta's responses leniently.
///
/// Grammar and duplicate keys: as ``JSONReader`` (RFC 8259, first duplicate wins).
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number exactly as written (`-12.50e1` stays `"-12.50e1"`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    static var maxDepth: Int { JSONReader.maxDepth }

    /// Parses a whole document; nil unless `bytes` is exactly one JSON value (plus whitespace).
    /// `strings` says whether ill-formed UTF-8 inside strings refuses the document or is
    /// replaced by U+FFFD (the default, for input that was accepted once already).
    package static func parse(_ bytes: [UInt8], strings: JSONReader.StringBytes = .repaired) -> JSONValue? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer, strings: strings)
            reader.skipPreamble()
            guard let value = reader.readValue(depth: 0), reader.atEnd() else { return nil }
            return value
        }
    }

    package static func parse(_ text: String) -> JSONValue? {
        parse(Array(text.utf8))
    }

    // MARK: - Navigation

    /// The member `key` of an object; nil for anything else or a missing key.
    package subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// Follows a path of object keys.
    package subscript(path: String...) -> JSONValue? {
        value(at: path)
    }

    package func value(at path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in path {
            current = current?[key]
        }
        return current
    }

    package var objectMembers: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The members of an object whose members are all strings; `nil` for anything else
    /// (envelope UTMs, a touchpoint's stored `utm`).
    package var stringMembers: [String: String]? {
        guard case .object(let members) = self else { return nil }
        var out: [String: String] = [:]
        out.reserveCapacity(members.count)
        for (name, member) in members {
            guard case .string(let s) = member else { return nil }
            out[name] = s
        }
        return out
    }

    package var arrayElements: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The elements of an array whose elements are all strings; `nil` for anything else
    /// (envelope fields and `/track` bodies both take lists of strings this way).
    package var stringElements: [String]? {
        guard case .array(let elements) = self else { return nil }
        var out: [String] = []
        out.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let s) = element else { return nil }
            out.append(s)
        }
        return out
    }

    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension JSONReader {
    /// Reads one value into a ``JSONValue``; containers are one level deeper than `depth`.
    mutating func readValue(depth: Int) -> JSONValue? {
        switch peek {
        case UInt8(ascii: "{"):
            var members: [String: JSONValue] = [:]
            let ok = readObject(depth: depth + 1) { r, key in
                guard let value = r.readValue(depth: depth + 1) else { return false }
                let name = r.decode(key)
                if members[name] == nil { members[name] = value } // first occurrence wins
                return true
            }
            return ok ? .object(members) : nil
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            let ok = readArray(depth: depth + 1) { r in
                guard let value = r.readValue(depth: depth + 1) else { return false }
                elements.append(value)
                return true
            }
            return ok ? .array(elements) : nil
        case UInt8(ascii: "\""):
            return readString().map { .string(decode($0)) }
        case UInt8(ascii: "t"): return readLiteral("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return readLiteral("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return readLiteral("null") ? .null : nil
        case nil: return nil
        default: return readNumber().map { .number(text($0)) }
        }
    }
}

extension Optional where Wrapped == JSONValue {
    /// Optional chaining through keys without `?` at every step: `json["data"]["buyer"]`.
    package subscript(key: String) -> JSONValue? {
        self.flatMap { $0[key] }
    }

    package var objectMembers: [String: JSONValue]? { self?.objectMembers }
    package var arrayElements: [JSONValue]? { self?.arrayElements }
    /// True for a missing value as well as an explicit `null`.
    package var isNullOrMissing: Bool { self?.isNull ?? true }
}
