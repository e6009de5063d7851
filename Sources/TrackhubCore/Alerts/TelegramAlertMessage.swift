/// A notification as a Telegram message: HTML parse mode (the title bold, every text escaped
/// as the Bot API requires: `&`, `<`, `>`), never longer than Telegram's 4096 characters (the
/// body is cut, with `…`, before it is escaped, so no entity is split).
public enum TelegramAlertMessage {
    public static func text(_ n: AlertNotification) -> String {
        compose(title: AlertText.title(n).ptBR, body: AlertText.body(n).ptBR, footer: footer(n))
    }

    /// `<b>title</b>`, the body, and a footer (`tenant · subject`), within the limit: the body
    /// keeps the longest prefix whose escaped form fits, then `…`. Measured in UTF-16 code
    /// units, as Telegram counts (an emoji is two).
    public static func compose(title: String, body: String, footer: String) -> String {
        let limit = TelegramOutgoingMessage.maxTextLength
        let head = "<b>" + escape(title) + "</b>\n"
        let tail = footer.isEmpty ? "" : "\n<i>" + escape(footer) + "</i>"
        let whole = head + escape(body) + tail
        if whole.utf16.count <= limit { return whole }
        let budget = limit - head.utf16.count - tail.utf16.count - 1
        guard budget > 0 else { return String(escape(title).prefix(limit)) }
        var kept = ""
        var used = 0
        for c in body {
            let size = escape(String(c)).utf16.count
            if used + size > budget { break }
            kept.append(c)
            used += size
        }
        return head + escape(kept) + "…" + tail
    }

    static func footer(_ n: AlertNotification) -> String {
        [n.key.tenant.map { "loja \($0)" }, n.key.rule.rawValue].compactMap { $0 }.joined(separator: " · ")
    }

    /// Telegram's HTML escapes.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(c)
            }
        }
        return out
    }
}
