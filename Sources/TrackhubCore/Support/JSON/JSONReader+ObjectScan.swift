extension JSONReader {
    /// The outcome of scanning a body that should be a JSON object.
    struct ObjectScan {
        /// The body is one JSON object (surrounded by optional whitespace).
        var isObject: Bool
        /// The first top-level member named as requested, when its value is a string.
        var member: String?
    }

    /// Validates `bytes` as one JSON object (strict UTF-8), capturing the top-level string
    /// member `name` if given, without building a document.
    ///
    /// ingestd does not interpret webhook payloads (dispatchd does, and the raw body travels
    /// sealed); it only needs to know that a body *is* a JSON object and, for Hotmart and
    /// Monetizze, to read one top-level string member (`hottok`, `chave_unica`). It allocates
    /// only for that member.
    static func scanObject(_ bytes: [UInt8], capturing name: String? = nil) -> ObjectScan {
        let target = name.map { Array($0.utf8) }
        return bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer, strings: .validated)
            reader.skipPreamble()
            guard reader.peek == UInt8(ascii: "{") else { return ObjectScan(isObject: false) }
            var member: String?
            let ok = reader.readObject(depth: 1) { r, key in
                if let target, member == nil, r.peek == UInt8(ascii: "\""), r.token(key, equals: target) {
                    guard let value = r.readString() else { return false }
                    member = r.decode(value)
                    return true
                }
                return r.skipValue(depth: 1)
            }
            guard ok, reader.atEnd() else { return ObjectScan(isObject: false) }
            return ObjectScan(isObject: true, member: member)
        }
    }
}
