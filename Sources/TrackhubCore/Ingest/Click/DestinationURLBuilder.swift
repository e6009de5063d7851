/// Builds the `Location` of a `/go/{slug}` redirect: the link's configured destination, plus the
/// click id where that destination hands it back, plus the campaign's `utm_*` values.
///
/// Security model: the request can never choose where the person goes. The scheme, host and
/// path come only from configuration; the request contributes nothing but the values of six
/// known `utm_*` parameters, each percent-encoded as a query value (unreserved characters
/// only), so `&`, `#`, `%`, `/`, CR/LF or `javascript:` in a value stay inert text.
///
/// Query rules for URL destinations:
/// - the destination's own query is kept as configured (repeated keys, keys without `=`),
///   byte-for-byte where RFC 3986 allows it (see `PercentEncoding`), except for any parameter
///   named like a click-id parameter, which is replaced;
/// - the click-id parameter(s) follow, then passed-through `utm_*` values the destination does
///   not set itself (the configured value wins, so a campaign cannot retarget an offer's own
///   tracking), in the order of ``passthroughParameters``, first occurrence in the request
///   only, empty values skipped, each cut to ``maxPassthroughValueBytes``;
/// - a fragment stays last.
///
/// The URL is written once, straight into the final string, sized in advance.
public enum DestinationURLBuilder {
    /// The only request parameters copied to the destination.
    public static let passthroughParameters: [String] = [
        "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "utm_id",
    ]

    /// A passed-through value longer than this (in UTF-8 bytes) is cut at a character boundary,
    /// keeping `Location` headers a size every proxy forwards.
    public static let maxPassthroughValueBytes = 512

    /// Where ``build(destination:clickID:requestParameters:)`` sends the person if the
    /// destination is invalid (it should have been refused by ``validate(_:)`` when it was
    /// configured): ingestd's own root, never anything derived from the request or the broken
    /// configuration.
    public static let invalidDestinationLocation = "/"

    /// The redirect target for a click, choosing a Telegram bot with the system generator.
    /// `deadBots`: bots the health check took out of rotation (``TelegramBotPick``).
    public static func build(destination: LinkDestination, clickID: String, requestParameters: [(String, String)],
                             deadBots: Set<String> = []) -> String {
        var rng = SystemRandomNumberGenerator()
        return build(destination: destination, clickID: clickID, requestParameters: requestParameters, deadBots: deadBots, using: &rng)
    }

    /// The redirect target for a click; `rng` picks among weighted Telegram bots.
    /// Falls back to ``invalidDestinationLocation`` for an invalid destination.
    public static func build(
        destination: LinkDestination, clickID: String, requestParameters: [(String, String)], deadBots: Set<String> = [],
        using rng: inout some RandomNumberGenerator
    ) -> String {
        url(for: destination, clickID: clickID, requestParameters: requestParameters, deadBots: deadBots, using: &rng)
            ?? invalidDestinationLocation
    }

    /// The redirect target for a click, or `nil` if the destination is invalid.
    public static func url(
        for destination: LinkDestination, clickID: String, requestParameters: [(String, String)], deadBots: Set<String> = [],
        using rng: inout some RandomNumberGenerator
    ) -> String? {
        switch destination {
        case .telegram(let bots, let fallbackURL):
            switch TelegramBotPick.choose(bots, dead: deadBots, hasFallback: fallbackURL != nil, using: &rng) {
            case .bot(let bot):
                return telegramURL(username: bot.username, clickID: clickID)
            case .fallback:
                guard let fallbackURL else { return nil }
                return build(url: fallbackURL, clickIDParameters: [], clickID: clickID, requestParameters: requestParameters)
            case .invalid:
                return nil
            }
        case .hotmart(let url, _), .kiwify(let url), .utm(let url):
            return build(url: url, clickIDParameters: destination.clickIDParameters, clickID: clickID,
                         requestParameters: requestParameters)
        case .generic(let url, let parameter):
            guard isValidParameterName(parameter) else { return nil }
            return build(url: url, clickIDParameters: [parameter], clickID: clickID, requestParameters: requestParameters)
        }
    }

    // MARK: - URL destinations

    private static func build(
        url: String, clickIDParameters: [String], clickID: String, requestParameters: [(String, String)]
    ) -> String? {
        var url = url
        return url.withUTF8 { b -> String? in
            guard case .success(let parts) = ConfiguredURL.parse(b) else { return nil }
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: passthroughParameters.count) { picks in
                // Bit i ↔ passthroughParameters[i]: set when the value must not come from the
                // request (the destination sets it, or it carries the click id).
                var blocked: UInt8 = 0
                for parameter in clickIDParameters {
                    if let i = passthroughIndex(parameter) { blocked |= 1 << i }
                }
                blocked |= passthroughNamesSet(in: b, parts.query)

                // Choose the request values (first non-empty occurrence) and size the output:
                // every copied or encoded byte becomes at most `maxExpansion` bytes.
                picks.initialize(repeating: -1)
                let x = PercentEncoding.maxExpansion
                var capacity = x * b.count + 2
                for parameter in clickIDParameters {
                    capacity += 2 + x * parameter.utf8.count + x * clickID.utf8.count
                }
                for (k, (name, value)) in requestParameters.enumerated() {
                    guard !value.isEmpty, let i = passthroughIndex(name), blocked & (1 << i) == 0, picks[i] < 0 else { continue }
                    picks[i] = k
                    capacity += 2 + name.utf8.count + x * min(value.utf8.count, maxPassthroughValueBytes)
                }

                return String(unsafeUninitializedCapacity: capacity) { buffer in
                    var out = ByteWriter(buffer)
                    var wroteQuery = false
                    func separator(_ out: inout ByteWriter) {
                        out.write(wroteQuery ? UInt8(ascii: "&") : UInt8(ascii: "?"))
                        wroteQuery = true
                    }

                    out.write(b[parts.origin])
                    PercentEncoding.writePreservingValid(b[parts.path], to: &out)
                    if let query = parts.query {
                        forEachSegment(b, query) { segment, name in
                            guard !clickIDParameters.contains(where: { QueryString.componentEquals(b, name, $0.utf8) }) else { return }
                            separator(&out)
                            PercentEncoding.writePreservingValid(b[segment], to: &out)
                        }
                    }
                    for parameter in clickIDParameters {
                        separator(&out)
                        PercentEncoding.writeComponent(parameter, to: &out)
                        out.write(UInt8(ascii: "="))
                        PercentEncoding.writeComponent(clickID, to: &out)
                    }
                    for i in 0..<picks.count where picks[i] >= 0 {
                        separator(&out)
                        out.write(passthroughParameters[i])
                        out.write(UInt8(ascii: "="))
                        PercentEncoding.writeComponent(truncated(requestParameters[picks[i]].1), to: &out)
                    }
                    if let fragment = parts.fragment {
                        out.write(UInt8(ascii: "#"))
                        PercentEncoding.writePreservingValid(b[fragment], to: &out)
                    }
                    return out.count
                }
            }
        }
    }

    /// Calls `body` with each non-empty `&`-separated segment of `b[query]` and its name's range.
    private static func forEachSegment(
        _ b: UnsafeBufferPointer<UInt8>, _ query: Range<Int>, _ body: (Range<Int>, Range<Int>) -> Void
    ) {
        var start = query.lowerBound
        while start < query.upperBound {
            var end = start
            var nameEnd = -1
            while end < query.upperBound, b[end] != UInt8(ascii: "&") {
                if nameEnd < 0, b[end] == UInt8(ascii: "=") { nameEnd = end }
                end += 1
            }
            if end > start { body(start..<end, start..<(nameEnd < 0 ? end : nameEnd)) }
            start = end + 1
        }
    }

    /// Which passthrough names the destination's own query sets (bit i ↔ passthroughParameters[i]).
    private static func passthroughNamesSet(in b: UnsafeBufferPointer<UInt8>, _ query: Range<Int>?) -> UInt8 {
        guard let query else { return 0 }
        var present: UInt8 = 0
        forEachSegment(b, query) { segment, name in
            // Only a name starting with `u` or an escape can decode to `utm_…`.
            guard b[segment.lowerBound] == UInt8(ascii: "u") || b[segment.lowerBound] == UInt8(ascii: "%") else { return }
            for (i, p) in passthroughParameters.enumerated() where QueryString.componentEquals(b, name, p.utf8) {
                present |= 1 << i
            }
        }
        return present
    }

    /// The index of `name` in ``passthroughParameters``; most request parameters (`fbclid`,
    /// `gclid`, …) are rejected by the first byte.
    @inline(__always)
    static func passthroughIndex(_ name: String) -> Int? {
        let utf8 = name.utf8
        guard utf8.count >= 6, utf8.count <= 12, utf8.first == UInt8(ascii: "u") else { return nil }
        switch name {
        case "utm_source": return 0
        case "utm_medium": return 1
        case "utm_campaign": return 2
        case "utm_content": return 3
        case "utm_term": return 4
        case "utm_id": return 5
        default: return nil
        }
    }

    /// `value` cut to at most ``maxPassthroughValueBytes`` UTF-8 bytes without splitting a scalar.
    static func truncated(_ value: String) -> Substring {
        value.utf8Prefix(maxPassthroughValueBytes)
    }

    // MARK: - Telegram

    /// `https://t.me/<username>?start=<click id>`; `username` was checked by ``TelegramBotPick``.
    private static func telegramURL(username: String, clickID: String) -> String {
        return String(unsafeUninitializedCapacity: 20 + username.utf8.count + PercentEncoding.maxExpansion * clickID.utf8.count) { buffer in
            var out = ByteWriter(buffer)
            out.write("https://t.me/" as StaticString)
            out.write(username)
            out.write("?start=" as StaticString)
            PercentEncoding.writeComponent(clickID, to: &out)
            return out.count
        }
    }

    // MARK: - Names

    /// A click-id parameter name: 1–64 unreserved characters, so it never needs encoding and
    /// reads back identically on every platform.
    static func isValidParameterName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy(PercentEncoding.isUnreserved)
    }
}
