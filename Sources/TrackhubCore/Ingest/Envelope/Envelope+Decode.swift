import Foundation

/// Reads an envelope without `JSONDecoder`: dispatchd decodes every stream entry, and
/// `JSONDecoder` with snake_case key conversion cost about 25 µs per envelope (an eighth of
/// dispatchd's CPU). The document is parsed by ``SalesJSON`` (RFC 8259, numbers kept as text)
/// and mapped field by field with the rules of the synthesized `Decodable` conformance, which
/// stays the reference (a unit test decodes the same documents both ways): required members
/// must be present with their type, optional ones may be missing or null, unknown members are
/// ignored, and anything else throws `DecodingError.dataCorrupted`.
extension Envelope {
    static func decodeFast(_ bytes: [UInt8]) throws -> Envelope {
        guard let root = SalesJSON.parse(bytes), let o = root.objectMembers else { throw Field.corrupt("not a JSON object") }
        let f = Field(o, path: "")
        var e = Envelope(id: try f.string("id"), kind: try f.kind("kind"), receivedAt: try f.int64("received_at"),
                         tenant: try f.string("tenant"))
        e.v = Int(try f.int64("v"))
        if let c = try f.object("click") {
            e.click = Click(slug: try c.string("slug"), pixel: try c.optionalString("pixel"), clickId: try c.string("click_id"),
                            ip: try c.optionalString("ip"), userAgent: try c.optionalString("user_agent"),
                            referrer: try c.optionalString("referrer"), utm: try c.stringMap("utm"),
                            fbclid: try c.optionalString("fbclid"), gclid: try c.optionalString("gclid"),
                            ttclid: try c.optionalString("ttclid"), fbc: try c.optionalString("fbc"), fbp: try c.optionalString("fbp"),
                            destination: try c.string("destination"))
        }
        if let t = try f.object("track") {
            e.track = Track(event: try t.string("event"), customName: try t.optionalString("custom_name"),
                            clickId: try t.optionalString("click_id"), sessionId: try t.optionalString("session_id"),
                            eventId: try t.optionalString("event_id"), pageUrl: try t.optionalString("page_url"),
                            referrer: try t.optionalString("referrer"), fbp: try t.optionalString("fbp"), fbc: try t.optionalString("fbc"),
                            ip: try t.optionalString("ip"), userAgent: try t.optionalString("user_agent"), consent: try t.bool("consent"),
                            value: try t.optionalDouble("value"), currency: try t.optionalString("currency"),
                            contentIds: try t.optionalStringArray("content_ids"),
                            user: try t.optionalString("user").map(Sealed.init(text:)))
        }
        if let w = try f.object("webhook") {
            guard let query = w.members["query"]?.arrayElements else { throw Field.corrupt("webhook.query") }
            e.webhook = Webhook(gateway: try w.string("gateway"), account: try w.string("account"),
                                contentType: try w.optionalString("content_type"),
                                query: try query.map { try Field.strings($0, "webhook.query") },
                                headers: try w.stringMap("headers"), body: Sealed(text: try w.string("body")))
        }
        return e
    }

    /// Typed access to one object's members, failing like `JSONDecoder` does.
    private struct Field {
        let members: [String: SalesJSON]
        let path: String

        init(_ members: [String: SalesJSON], path: String) {
            self.members = members
            self.path = path
        }

        static func corrupt(_ what: String) -> DecodingError {
            .dataCorrupted(.init(codingPath: [], debugDescription: "envelope: \(what) is missing or has the wrong type"))
        }

        private func present(_ key: String) -> SalesJSON? {
            guard let value = members[key], !value.isNull else { return nil }
            return value
        }

        func string(_ key: String) throws -> String {
            guard let s = try optionalString(key) else { throw Self.corrupt(path + key) }
            return s
        }

        func optionalString(_ key: String) throws -> String? {
            guard let value = present(key) else { return nil }
            guard case .string(let s) = value else { throw Self.corrupt(path + key) }
            return s
        }

        func int64(_ key: String) throws -> Int64 {
            guard case .number(let text) = members[key] else { throw Self.corrupt(path + key) }
            if let n = Int64(text) { return n }
            // JSONDecoder also takes an integral number written with a fraction or exponent.
            guard let d = Double(text), d.rounded() == d, let n = Int64(exactly: d) else { throw Self.corrupt(path + key) }
            return n
        }

        func bool(_ key: String) throws -> Bool {
            guard case .bool(let b) = members[key] else { throw Self.corrupt(path + key) }
            return b
        }

        func optionalDouble(_ key: String) throws -> Double? {
            guard let value = present(key) else { return nil }
            guard case .number(let text) = value, let d = Double(text) else { throw Self.corrupt(path + key) }
            return d
        }

        func optionalStringArray(_ key: String) throws -> [String]? {
            guard let value = present(key) else { return nil }
            return try Self.strings(value, path + key)
        }

        /// The elements of an array of strings.
        static func strings(_ value: SalesJSON, _ what: String) throws -> [String] {
            guard let items = value.arrayElements else { throw corrupt(what) }
            return try items.map { item in
                guard case .string(let s) = item else { throw corrupt(what) }
                return s
            }
        }

        func stringMap(_ key: String) throws -> [String: String] {
            guard let object = members[key]?.objectMembers else { throw Self.corrupt(path + key) }
            return try object.mapValues { value in
                guard case .string(let s) = value else { throw Self.corrupt(path + key) }
                return s
            }
        }

        func kind(_ key: String) throws -> Kind {
            guard let kind = Kind(rawValue: try string(key)) else { throw Self.corrupt(path + key) }
            return kind
        }

        func object(_ key: String) throws -> Field? {
            guard let value = present(key) else { return nil }
            guard let object = value.objectMembers else { throw Self.corrupt(path + key) }
            return Field(object, path: path + key + ".")
        }
    }
}
