import Foundation
public import TrackhubCore

/// What the landing-page check reads in the final page's HTML: whether `/t.js` is included
/// (and from which host), and the links and forms to a known checkout that `/t.js` will
/// decorate with the click id. A plain attribute scan, not a browser: links built by script
/// after load are not seen (the page says so when none is found).
public struct LandingPageScan: Sendable, Equatable {
    /// The `/t.js` script's absolute URL, if the page includes one.
    public var scriptURL: String?
    /// Checkout links and form actions found, per gateway, in first-seen order.
    public var checkouts: [Found]

    public struct Found: Sendable, Equatable, Codable {
        public var gateway: String
        public var parameter: String
        public var count: Int

        public init(gateway: String, parameter: String, count: Int) {
            self.gateway = gateway
            self.parameter = parameter
            self.count = count
        }
    }

    /// Attribute values longer than this are not URLs a page would use (data: images, inline blobs).
    static let maxValueBytes = 4096

    /// Scans `html` (at most a few MB), resolving relative URLs against `pageURL`.
    public static func scan(html: [UInt8], pageURL: String) -> LandingPageScan {
        let base = URL(string: pageURL)
        var result = LandingPageScan(scriptURL: nil, checkouts: [])
        for (name, value) in attributes(in: html) {
            guard let url = URL(string: decodeEntities(value), relativeTo: base)?.absoluteURL else { continue }
            switch name {
            case "src":
                if result.scriptURL == nil, url.path.hasSuffix("/t.js"), url.scheme == "https" || url.scheme == "http" {
                    result.scriptURL = url.absoluteString
                }
            default:
                guard let host = url.host, let checkout = CheckoutHost.matching(host: host) else { continue }
                if let index = result.checkouts.firstIndex(where: { $0.gateway == checkout.gateway }) {
                    result.checkouts[index].count += 1
                } else {
                    result.checkouts.append(Found(gateway: checkout.gateway, parameter: checkout.parameter, count: 1))
                }
            }
        }
        return result
    }

    /// Every `src`, `href` and `action` attribute value (quoted or not), in document order.
    /// Case-insensitive on the attribute name; an attribute must follow a blank, as in a tag.
    static func attributes(in html: [UInt8]) -> [(String, String)] {
        var found: [(String, String)] = []
        let names: [(String, [UInt8])] = [("src", Array("src".utf8)), ("href", Array("href".utf8)), ("action", Array("action".utf8))]
        var i = 1
        let n = html.count
        func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
        func blank(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 || b == 12 }
        while i < n {
            guard blank(html[i - 1]) else { i += 1; continue }
            var matched: (String, Int)?
            for (name, bytes) in names where i + bytes.count < n {
                var same = true
                for k in 0..<bytes.count where lower(html[i + k]) != bytes[k] { same = false; break }
                if same { matched = (name, i + bytes.count); break }
            }
            guard let (name, after) = matched else { i += 1; continue }
            var j = after
            while j < n, blank(html[j]) { j += 1 }
            guard j < n, html[j] == UInt8(ascii: "=") else { i = after; continue }
            j += 1
            while j < n, blank(html[j]) { j += 1 }
            guard j < n else { break }
            let start: Int
            let end: Int
            if html[j] == UInt8(ascii: "\"") || html[j] == UInt8(ascii: "'") {
                let quote = html[j]
                start = j + 1
                var k = start
                while k < n, html[k] != quote { k += 1 }
                end = k
            } else {
                start = j
                var k = start
                while k < n, !blank(html[k]), html[k] != UInt8(ascii: ">") { k += 1 }
                end = k
            }
            if end - start <= maxValueBytes {
                found.append((name, String(decoding: html[start..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)))
            }
            i = max(end, i + 1)
        }
        return found
    }

    /// The entities that appear in URLs in attributes (`&amp;` between query parameters).
    static func decodeEntities(_ value: String) -> String {
        guard value.contains("&") else { return value }
        return value.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#38;", with: "&")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
    }
}
