/// Parsing of URL query strings and `application/x-www-form-urlencoded` bodies.
///
/// Used on the hot path of `/go/{slug}` (every click), by Monetizze's form postbacks and for
/// Kiwify's `signature` query parameter, so it works on UTF-8 bytes directly: no Foundation,
/// no regex, and a name or value without escapes is copied straight out of the input.
///
/// Decoding follows the WHATWG form-urlencoded rules, which browsers and PHP gateways both
/// produce: pairs are separated by `&`, name and value by the first `=`, `+` means a space,
/// and `%XX` is a byte. A malformed escape (`%`, `%4`, `%zz`) is kept literally instead of
/// failing the whole input, because a click must never be lost over a sloppy ad URL. Decoded
/// bytes that are not valid UTF-8 become U+FFFD.
public enum QueryString {
    /// The ordered name/value pairs of `raw` (a query string without its leading `?`, or a
    /// form body). Repeated names are all kept, in order; `name` without `=` has the value
    /// `""`; empty segments (`a=1&&b=2`) are skipped.
    public static func parse(_ raw: String) -> [(String, String)] {
        var raw = raw
        return raw.withUTF8 { parse(buffer: $0) }
    }

    /// The same parse over raw bytes, e.g. a form webhook body exactly as received.
    public static func parse(_ bytes: [UInt8]) -> [(String, String)] {
        bytes.withUnsafeBufferPointer { parse(buffer: $0) }
    }

    /// The value of the first pair named `name` in `pairs`, if any.
    public static func first(_ name: String, in pairs: [(String, String)]) -> String? {
        for (n, v) in pairs where n == name { return v }
        return nil
    }

    /// The decoded value of the first pair named `name` in the raw form body, without
    /// materialising the other pairs (a Monetizze postback carries about a hundred fields, and
    /// only `chave_unica` is needed to authenticate it).
    public static func firstValue(named name: String, in bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { buffer -> String? in
            var result: String?
            forEachPair(in: buffer) { nameRange, valueRange in
                guard componentEquals(buffer, nameRange, name.utf8) else { return true }
                result = valueRange.map { decode(buffer, $0) } ?? ""
                return false
            }
            return result
        }
    }

    /// Decodes one form-urlencoded component (`+` → space, `%XX` → byte, malformed escapes
    /// kept literally).
    public static func decodeComponent(_ component: some StringProtocol) -> String {
        var copy = String(component)
        return copy.withUTF8 { decode($0, 0..<$0.count) }
    }

    // MARK: - Internals over UTF-8 buffers

    static func parse(buffer: UnsafeBufferPointer<UInt8>) -> [(String, String)] {
        var pairs: [(String, String)] = []
        forEachPair(in: buffer) { nameRange, valueRange in
            pairs.append((decode(buffer, nameRange), valueRange.map { decode(buffer, $0) } ?? ""))
            return true
        }
        return pairs
    }

    /// Calls `body` with the byte ranges of each non-empty pair's name and value (`nil` when
    /// the pair has no `=`); `body` returns `false` to stop.
    static func forEachPair(
        in buffer: UnsafeBufferPointer<UInt8>,
        _ body: (Range<Int>, Range<Int>?) -> Bool
    ) {
        let count = buffer.count
        var start = 0
        while start < count {
            var end = start
            var equals = -1
            while end < count {
                let c = buffer[end]
                if c == UInt8(ascii: "&") { break }
                if c == UInt8(ascii: "="), equals < 0 { equals = end }
                end += 1
            }
            if end > start {
                let keepGoing: Bool
                if equals >= 0 {
                    keepGoing = body(start..<equals, (equals + 1)..<end)
                } else {
                    keepGoing = body(start..<end, nil)
                }
                if !keepGoing { return }
            }
            start = end + 1
        }
    }

    /// Decodes `buffer[range]`; copies directly when there is nothing to decode.
    static func decode(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        var needsDecoding = false
        for i in range {
            let c = buffer[i]
            if c == UInt8(ascii: "%") || c == UInt8(ascii: "+") {
                needsDecoding = true
                break
            }
        }
        let slice = UnsafeBufferPointer(rebasing: buffer[range])
        if !needsDecoding { return String(decoding: slice, as: UTF8.self) }
        // Decoding only ever shrinks the input, so its length bounds the output.
        return String(unsafeUninitializedCapacity: slice.count) { out in
            var o = 0
            var i = 0
            let n = slice.count
            while i < n {
                let c = slice[i]
                if c == UInt8(ascii: "+") {
                    out[o] = UInt8(ascii: " ")
                    i += 1
                } else if c == UInt8(ascii: "%"), i + 2 < n, let hi = Hex.value(of: slice[i + 1]),
                          let lo = Hex.value(of: slice[i + 2]) {
                    out[o] = hi << 4 | lo
                    i += 3
                } else {
                    out[o] = c
                    i += 1
                }
                o += 1
            }
            return o
        }
    }

    /// Whether the decoded component `buffer[range]` equals the bytes `target`, decoding on the
    /// fly so that matching names (done for every pair of every click) never allocates.
    static func componentEquals(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ target: some Collection<UInt8>
    ) -> Bool {
        var i = range.lowerBound
        var t = target.startIndex
        while i < range.upperBound {
            guard t != target.endIndex else { return false }
            var c = buffer[i]
            if c == UInt8(ascii: "+") {
                c = UInt8(ascii: " ")
                i += 1
            } else if c == UInt8(ascii: "%"), i + 2 < range.upperBound, let hi = Hex.value(of: buffer[i + 1]),
                      let lo = Hex.value(of: buffer[i + 2]) {
                c = hi << 4 | lo
                i += 3
            } else {
                i += 1
            }
            guard c == target[t] else { return false }
            t = target.index(after: t)
        }
        return t == target.endIndex
    }
}
