/// Text as Postgres can store it: the one rule for what a stored value may hold, applied by
/// ingestd to every value a client controls before it is appended, and by dispatchd (through
/// ``JSONReader/StringBytes/repaired``) to everything it reads back from a stream entry or a
/// stored webhook body.
///
/// Why: Postgres refuses U+0000 in `text` (libpq cannot even send it) and the escape `\u0000`
/// in `jsonb` (SQLSTATE 22P05). One NUL in a `utm_source`, a Hotmart `sck` or a webhook's query
/// string used to fail the row, then the whole batch, and dead-letter a click or a real sale
/// (issue 14).
///
/// What is replaced, and what is not (the decision): only U+0000 is unstorable — it becomes
/// U+FFFD, the replacement character, so a value keeps its place and shows where something
/// was. The other C0 controls (U+0001–U+001F) and DEL are storable (`text` holds them, `jsonb`
/// keeps them escaped) and stay as data; where a field has a syntax of its own (ids, URLs,
/// cookies, currencies, `content_ids`) the edge refuses them with a 400 naming the field.
/// Ill-formed UTF-8 never gets this far: every decoder turns it into U+FFFD (or, for `/track`
/// bodies, refuses the body), and a lone surrogate escape becomes U+FFFD in ``JSONReader``.
public enum StorableText {
    /// What replaces each unstorable scalar.
    public static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// Whether Postgres can store `s` as it is (it holds no U+0000).
    public static func isStorable(_ s: String) -> Bool {
        var copy = s
        // A contiguous scan: this runs for every value of every request.
        return copy.withUTF8 { !$0.contains(0) }
    }

    /// `s` with every U+0000 replaced by U+FFFD; `s` itself when it holds none.
    public static func storable(_ s: String) -> String {
        guard !isStorable(s) else { return s }
        // By scalar, not by Character: a NUL followed by a combining mark is one Character
        // that a search for "\u{0}" does not match.
        return String(String.UnicodeScalarView(s.unicodeScalars.map { $0 == "\u{0}" ? replacement : $0 }))
    }

    /// Name/value pairs (a query string, a form) with both sides storable, in their order.
    public static func storable(pairs: [(String, String)]) -> [(String, String)] {
        pairs.map { (storable($0.0), storable($0.1)) }
    }

    /// A map with keys and values storable; when two keys become equal, the first in key order
    /// wins (deterministic).
    public static func storable(_ map: [String: String]) -> [String: String] {
        guard !map.allSatisfy({ isStorable($0.key) && isStorable($0.value) }) else { return map }
        var out: [String: String] = [:]
        for key in map.keys.sorted() {
            let clean = storable(key)
            if out[clean] == nil { out[clean] = storable(map[key]!) }
        }
        return out
    }
}
