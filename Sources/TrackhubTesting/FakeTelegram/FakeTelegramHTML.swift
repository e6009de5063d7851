/// Telegram's HTML parse mode as strictly as the fake needs it (reference §4.2): only the
/// supported tags, balanced, and `&` only as `&lt; &gt; &amp; &quot;` or a numeric entity; a raw
/// `<` or `>` in text is refused ("can't parse entities"), as Telegram does.
enum FakeTelegramHTML {
    static let tags: Set<String> = [
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "span",
        "blockquote", "tg-emoji",
    ]

    /// The text a reader sees (tags removed, entities decoded), or why Telegram would refuse it.
    static func visibleText(_ html: String) -> Result<String, FakeServerError> {
        var out = ""
        var open: [String] = []
        var rest = Substring(html)
        while let c = rest.first {
            if c == "<" {
                guard let end = rest.firstIndex(of: ">") else { return .failure(FakeServerError("unclosed start tag")) }
                let inside = rest[rest.index(after: rest.startIndex)..<end]
                rest = rest[rest.index(after: end)...]
                let closing = inside.hasPrefix("/")
                let name = String((closing ? inside.dropFirst() : inside).prefix { $0 != " " && $0 != "/" }).lowercased()
                guard tags.contains(name) else { return .failure(FakeServerError("unsupported start tag \"\(name)\"")) }
                if closing {
                    guard open.last == name else { return .failure(FakeServerError("unmatched end tag \"\(name)\"")) }
                    open.removeLast()
                } else {
                    open.append(name)
                }
            } else if c == ">" {
                return .failure(FakeServerError("unexpected \">\""))
            } else if c == "&" {
                guard let end = rest.firstIndex(of: ";") else { return .failure(FakeServerError("unsupported entity")) }
                let entity = String(rest[rest.index(after: rest.startIndex)..<end])
                rest = rest[rest.index(after: end)...]
                switch entity {
                case "lt": out.append("<")
                case "gt": out.append(">")
                case "amp": out.append("&")
                case "quot": out.append("\"")
                default:
                    guard entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(code) else {
                        return .failure(FakeServerError("unsupported entity \"&\(entity);\""))
                    }
                    out.unicodeScalars.append(scalar)
                }
            } else {
                out.append(c)
                rest = rest.dropFirst()
            }
        }
        guard open.isEmpty else { return .failure(FakeServerError("unclosed tag \"\(open.last ?? "")\"")) }
        return .success(out)
    }
}
