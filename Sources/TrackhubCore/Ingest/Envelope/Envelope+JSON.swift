/// A hand-written JSON encoder for envelopes: ingestd encodes one per request, and Foundation's
/// `JSONEncoder` (with snake_case conversion) was a fifth of ingestd's CPU under load. The output
/// uses the same snake_case keys, so ``Envelope/decode(_:)`` (JSONDecoder) reads it back; a unit
/// test checks the round trip for every field.
extension Envelope {
    public func encoded() throws -> [UInt8] {
        var w = JSONBytes()
        w.open()
        w.field("v", v)
        w.field("id", id)
        w.field("kind", kind.rawValue)
        w.field("received_at", Int(receivedAt))
        w.field("tenant", tenant)
        if let c = click {
            w.key("click")
            w.open()
            w.field("slug", c.slug)
            w.field("pixel", c.pixel)
            w.field("click_id", c.clickId)
            w.field("ip", c.ip)
            w.field("user_agent", c.userAgent)
            w.field("referrer", c.referrer)
            w.key("utm")
            w.object(c.utm)
            w.field("fbclid", c.fbclid)
            w.field("gclid", c.gclid)
            w.field("ttclid", c.ttclid)
            w.field("fbc", c.fbc)
            w.field("fbp", c.fbp)
            w.field("destination", c.destination)
            w.close()
        }
        if let t = track {
            w.key("track")
            w.open()
            w.field("event", t.event)
            w.field("custom_name", t.customName)
            w.field("click_id", t.clickId)
            w.field("session_id", t.sessionId)
            w.field("event_id", t.eventId)
            w.field("page_url", t.pageUrl)
            w.field("referrer", t.referrer)
            w.field("fbp", t.fbp)
            w.field("fbc", t.fbc)
            w.field("ip", t.ip)
            w.field("user_agent", t.userAgent)
            w.key("consent")
            w.raw(t.consent ? "true" : "false")
            if let value = t.value {
                guard value.isFinite else { throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "non-finite value")) }
                w.key("value")
                w.raw("\(value)")
            }
            w.field("currency", t.currency)
            if let ids = t.contentIds {
                w.key("content_ids")
                w.array(ids)
            }
            w.field("user", t.user?.text)
            w.close()
        }
        if let h = webhook {
            w.key("webhook")
            w.open()
            w.field("gateway", h.gateway)
            w.field("account", h.account)
            w.field("content_type", h.contentType)
            w.key("query")
            w.bytes.append(UInt8(ascii: "["))
            for (i, pair) in h.query.enumerated() {
                if i > 0 { w.bytes.append(UInt8(ascii: ",")) }
                w.array(pair)
            }
            w.bytes.append(UInt8(ascii: "]"))
            w.needsComma = true
            w.key("headers")
            w.object(h.headers)
            w.field("body", h.body.text)
            w.close()
        }
        w.close()
        return w.bytes
    }
}

/// Minimal JSON writer (objects, strings, integers); escapes per RFC 8259.
struct JSONBytes {
    var bytes: [UInt8] = []
    var needsComma = false

    init() { bytes.reserveCapacity(768) }

    mutating func open() {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func key(_ k: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        string(k)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func raw(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        needsComma = true
    }

    mutating func field(_ k: String, _ value: String?) {
        guard let value else { return }
        key(k)
        string(value)
        needsComma = true
    }

    mutating func field(_ k: String, _ value: Int) {
        key(k)
        raw(String(value))
    }

    mutating func object(_ dict: [String: String]) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for k in dict.keys.sorted() {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            string(k)
            bytes.append(UInt8(ascii: ":"))
            string(dict[k]!)
        }
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func array(_ list: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (i, s) in list.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            string(s)
        }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Appends `s` as a JSON string, with the escapes this writer always produced (`\"`, `\\`,
    /// `\n`, `\r`, `\t`, `\u00XX` for other control bytes and DEL).
    mutating func string(_ s: String) {
        JSONStringBytes.append(s, to: &bytes, needsEscape: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0x7F }) { b, out in
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            default: JSONStringBytes.appendUnicodeEscape(b, to: &out)
            }
        }
    }
}
