/// One member of an envelope's JSON: its key, how it is written and how it is read.
///
/// The envelope schema is the list of these in `Envelope+Schema.swift`; ``Envelope/encoded()``
/// and ``Envelope/decode(_:)`` both walk that list, so a field added there is written and read
/// with the same key and the same rules, and cannot be added to one side only.
///
/// Reading follows the rules the envelope always had (those of a synthesized `Decodable`):
/// required members must be present with their type, optional ones may be missing or `null`,
/// unknown members are ignored, anything else throws `DecodingError.dataCorrupted`. Writing
/// leaves out a nil optional.
struct EnvelopeField<Root>: Sendable {
    let key: String
    let write: @Sendable (Root, inout JSONWriter) throws -> Void
    let read: @Sendable (inout Root, JSONValue?, _ path: String) throws -> Void
}

extension EnvelopeField {
    static func corrupt(_ what: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: [], debugDescription: "envelope: \(what) is missing or has the wrong type"))
    }

    /// The value unless it is missing or `null`.
    private static func present(_ value: JSONValue?) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        return value
    }

    /// A member whose value is written and read by the given functions; `read` sees only a
    /// present, non-null value and returns nil when it has the wrong type.
    private static func member<Value>(_ key: String, _ path: any WritableKeyPath<Root, Value> & Sendable,
                                      write: @escaping @Sendable (Value, inout JSONWriter) throws -> Void,
                                      read: @escaping @Sendable (JSONValue) -> Value?) -> Self {
        let name = JSONWriter.encodedKey(key, profile: .envelope)
        return EnvelopeField(key: key, write: { root, w in
            w.key(encoded: name)
            try write(root[keyPath: path], &w)
        }, read: { root, value, at in
            guard let value = present(value), let v = read(value) else { throw corrupt(at + key) }
            root[keyPath: path] = v
        })
    }

    /// An optional member: left out when nil; missing or `null` reads as nil.
    private static func member<Value>(_ key: String, _ path: any WritableKeyPath<Root, Value?> & Sendable,
                                      write: @escaping @Sendable (Value, inout JSONWriter) throws -> Void,
                                      read: @escaping @Sendable (JSONValue) -> Value?) -> Self {
        let name = JSONWriter.encodedKey(key, profile: .envelope)
        return EnvelopeField(key: key, write: { root, w in
            guard let v = root[keyPath: path] else { return }
            w.key(encoded: name)
            try write(v, &w)
        }, read: { root, value, at in
            guard let value = present(value) else { root[keyPath: path] = nil; return }
            guard let v = read(value) else { throw corrupt(at + key) }
            root[keyPath: path] = v
        })
    }

    static func string(_ key: String, _ path: any WritableKeyPath<Root, String> & Sendable) -> Self {
        member(key, path, write: { v, w in w.string(v) }, read: text)
    }

    static func string(_ key: String, _ path: any WritableKeyPath<Root, String?> & Sendable) -> Self {
        member(key, path, write: { v, w in w.string(v) }, read: text)
    }

    static func sealed(_ key: String, _ path: any WritableKeyPath<Root, Sealed> & Sendable) -> Self {
        member(key, path, write: { v, w in w.string(v.text) }, read: { text($0).map(Sealed.init(text:)) })
    }

    static func sealed(_ key: String, _ path: any WritableKeyPath<Root, Sealed?> & Sendable) -> Self {
        member(key, path, write: { v, w in w.string(v.text) }, read: { text($0).map(Sealed.init(text:)) })
    }

    static func int(_ key: String, _ path: any WritableKeyPath<Root, Int> & Sendable) -> Self {
        member(key, path, write: { v, w in w.int(v) }, read: { integer($0).flatMap { Int(exactly: $0) } })
    }

    static func int64(_ key: String, _ path: any WritableKeyPath<Root, Int64> & Sendable) -> Self {
        member(key, path, write: { v, w in w.int(Int(v)) }, read: integer)
    }

    static func bool(_ key: String, _ path: any WritableKeyPath<Root, Bool> & Sendable) -> Self {
        member(key, path, write: { v, w in w.bool(v) }, read: { if case .bool(let b) = $0 { b } else { nil } })
    }

    /// A finite number (JSON has no NaN or infinity: writing one throws, as `JSONEncoder` does).
    static func double(_ key: String, _ path: any WritableKeyPath<Root, Double?> & Sendable) -> Self {
        member(key, path, write: { v, w in
            guard v.isFinite else { throw EncodingError.invalidValue(v, .init(codingPath: [], debugDescription: "non-finite \(key)")) }
            w.double(v)
        }, read: { if case .number(let n) = $0 { Double(n) } else { nil } })
    }

    static func strings(_ key: String, _ path: any WritableKeyPath<Root, [String]?> & Sendable) -> Self {
        member(key, path, write: { v, w in w.array(v) }, read: { $0.stringElements })
    }

    /// A list of string lists (a query string's pairs).
    static func stringLists(_ key: String, _ path: any WritableKeyPath<Root, [[String]]> & Sendable) -> Self {
        member(key, path, write: { v, w in
            w.beginArray()
            for list in v { w.array(list) }
            w.endArray()
        }, read: { value in
            guard let elements = value.arrayElements else { return nil }
            var out: [[String]] = []
            for element in elements {
                guard let list = element.stringElements else { return nil }
                out.append(list)
            }
            return out
        })
    }

    /// An object of strings, written in sorted key order.
    static func stringMap(_ key: String, _ path: any WritableKeyPath<Root, [String: String]> & Sendable) -> Self {
        member(key, path, write: { v, w in w.object(v) }, read: { $0.stringMembers })
    }

    static func rawValue<Value: RawRepresentable<String>>(_ key: String, _ path: any WritableKeyPath<Root, Value> & Sendable) -> Self {
        member(key, path, write: { v, w in w.string(v.rawValue) }, read: { text($0).flatMap(Value.init(rawValue:)) })
    }

    static func rawValue<Value: RawRepresentable<String>>(_ key: String, _ path: any WritableKeyPath<Root, Value?> & Sendable) -> Self {
        member(key, path, write: { v, w in w.string(v.rawValue) }, read: { text($0).flatMap(Value.init(rawValue:)) })
    }

    /// A nested object with its own fields, read into `blank`.
    static func object<Child: Sendable>(_ key: String, _ path: any WritableKeyPath<Root, Child?> & Sendable, blank: Child,
                              fields: [EnvelopeField<Child>]) -> Self {
        let name = JSONWriter.encodedKey(key, profile: .envelope)
        return EnvelopeField(key: key, write: { root, w in
            guard let child = root[keyPath: path] else { return }
            w.key(encoded: name)
            try EnvelopeField<Child>.write(child, fields: fields, to: &w)
        }, read: { root, value, at in
            guard let value = present(value) else { root[keyPath: path] = nil; return }
            guard let members = value.objectMembers else { throw corrupt(at + key) }
            root[keyPath: path] = try EnvelopeField<Child>.read(blank, fields: fields, from: members, path: at + key + ".")
        })
    }

    // MARK: - Whole objects

    static func write(_ root: Root, fields: [EnvelopeField<Root>], to w: inout JSONWriter) throws {
        w.beginObject()
        for field in fields { try field.write(root, &w) }
        w.endObject()
    }

    static func read(_ blank: Root, fields: [EnvelopeField<Root>], from members: [String: JSONValue], path: String) throws -> Root {
        var root = blank
        for field in fields { try field.read(&root, members[field.key], path) }
        return root
    }

    // MARK: - Value readers

    private static func text(_ value: JSONValue) -> String? {
        if case .string(let s) = value { s } else { nil }
    }

    /// An integer, also when written with a fraction or exponent that leaves it integral
    /// (`1.0`, `1e3`), as `JSONDecoder` takes it.
    private static func integer(_ value: JSONValue) -> Int64? {
        guard case .number(let n) = value else { return nil }
        if let i = Int64(n) { return i }
        guard let d = Double(n), d.rounded() == d else { return nil }
        return Int64(exactly: d)
    }

}
