import Foundation
import Testing
@testable import TrackhubCore

@Suite struct DestinationURLBuilderTests {
    let clickID = "01aryz6s41tsv4rrffq69g5fav"

    private func build(_ destination: LinkDestination, _ query: String = "") -> String {
        DestinationURLBuilder.build(destination: destination, clickID: clickID, requestParameters: QueryString.parse(query))
    }

    @Test func hotmartCarriesClickIDInSck() {
        #expect(build(.hotmart(url: "https://pay.hotmart.com/X1")) == "https://pay.hotmart.com/X1?sck=\(clickID)")
        #expect(build(.hotmart(url: "https://pay.hotmart.com/X1?off=abc", alsoSrc: true))
            == "https://pay.hotmart.com/X1?off=abc&sck=\(clickID)&src=\(clickID)")
    }

    @Test func kiwifyCarriesClickIDInSck() {
        #expect(build(.kiwify(url: "https://pay.kiwify.com.br/AbC")) == "https://pay.kiwify.com.br/AbC?sck=\(clickID)")
    }

    @Test func genericUsesTheNamedParameter() {
        #expect(build(.generic(url: "https://shop.example/p?a=1", parameter: "subid")) == "https://shop.example/p?a=1&subid=\(clickID)")
    }

    @Test func utmKindAddsNoClickID() {
        #expect(build(.utm(url: "https://lp.example/"), "utm_source=fb&fbclid=xyz") == "https://lp.example/?utm_source=fb")
        #expect(build(.utm(url: "https://lp.example/")) == "https://lp.example/")
    }

    @Test func preservesTheDestinationsOwnQueryVerbatim() {
        let url = "https://shop.example/p?b=2&a=1&a=3&flag&empty=&enc=%2F%20x+y&semi=a;b&at=@:/?!$'()*,"
        #expect(build(.generic(url: url, parameter: "cid")) == url + "&cid=\(clickID)")
        // `[` and `]` are not allowed in a query by RFC 3986; they are escaped, which servers decode identically.
        #expect(build(.generic(url: "https://shop.example/p?list[]=1", parameter: "cid"))
            == "https://shop.example/p?list%5B%5D=1&cid=\(clickID)")
    }

    @Test func clickIDReplacesExistingParameterOfTheSameName() {
        #expect(build(.hotmart(url: "https://pay.hotmart.com/X1?sck=old&off=1&sck=older#buy"))
            == "https://pay.hotmart.com/X1?off=1&sck=\(clickID)#buy")
        // Matching is on the decoded name.
        #expect(build(.kiwify(url: "https://k.example/?s%63k=old")) == "https://k.example/?sck=\(clickID)")
        #expect(build(.hotmart(url: "https://h.example/?src=old&sck", alsoSrc: true)) == "https://h.example/?sck=\(clickID)&src=\(clickID)")
    }

    @Test func fragmentStaysLast() {
        #expect(build(.hotmart(url: "https://pay.hotmart.com/X1#checkout"), "utm_source=fb")
            == "https://pay.hotmart.com/X1?sck=\(clickID)&utm_source=fb#checkout")
        #expect(build(.hotmart(url: "https://pay.hotmart.com/X1?#")) == "https://pay.hotmart.com/X1?sck=\(clickID)#")
    }

    @Test func passesThroughOnlyTheSixUTMParameters() {
        let query = "utm_source=facebook&utm_medium=cpc&utm_campaign=black+friday&utm_content=ad%201&utm_term=curso&utm_id=123"
            + "&utm_source[]=x&UTM_SOURCE=y&utm_other=z&fbclid=abc&gclid=g&sck=forged&src=forged"
        #expect(build(.kiwify(url: "https://k.example/c"), query)
            == "https://k.example/c?sck=\(clickID)&utm_source=facebook&utm_medium=cpc&utm_campaign=black%20friday"
            + "&utm_content=ad%201&utm_term=curso&utm_id=123")
    }

    @Test func destinationsOwnUTMValuesWin() {
        #expect(build(.generic(url: "https://a.example/?utm_source=newsletter", parameter: "cid"), "utm_source=fb&utm_medium=cpc")
            == "https://a.example/?utm_source=newsletter&cid=\(clickID)&utm_medium=cpc")
    }

    @Test func firstRequestValueWinsAndEmptyValuesAreSkipped() {
        #expect(build(.utm(url: "https://a.example/"), "utm_source=one&utm_source=two&utm_medium=&utm_term")
            == "https://a.example/?utm_source=one")
    }

    @Test func clickIDInAUTMParameterIsNotOverriddenByTheRequest() {
        #expect(build(.generic(url: "https://a.example/", parameter: "utm_content"), "utm_content=forged&utm_source=fb")
            == "https://a.example/?utm_content=\(clickID)&utm_source=fb")
    }

    @Test func telegramDeepLink() {
        var rng = EdgeTestRNG(seed: 1)
        let url = DestinationURLBuilder.build(destination: .telegram(bots: [WeightedBot(username: "acme_bot")]),
                                              clickID: clickID, requestParameters: QueryString.parse("utm_source=fb"), using: &rng)
        #expect(url == "https://t.me/acme_bot?start=\(clickID)")
    }

    @Test func telegramPicksBotsByWeight() {
        let bots = [WeightedBot(username: "first_bot", weight: 1), WeightedBot(username: "second_bot", weight: 3),
                    WeightedBot(username: "paused_bot", weight: 0)]
        var rng = EdgeTestRNG(seed: 42)
        var counts: [String: Int] = [:]
        for _ in 0..<8000 {
            let url = DestinationURLBuilder.build(destination: .telegram(bots: bots), clickID: clickID, requestParameters: [], using: &rng)
            let bot = String(url.dropFirst("https://t.me/".count).prefix { $0 != "?" })
            counts[bot, default: 0] += 1
        }
        #expect(counts["paused_bot"] == nil)
        let first = counts["first_bot", default: 0], second = counts["second_bot", default: 0]
        #expect(first + second == 8000)
        #expect((1700...2300).contains(first)) // expected 2000
        #expect((5700...6300).contains(second)) // expected 6000
    }

    @Test func invalidDestinationsFallBackToTheRootNeverToTheRequest() {
        var rng = EdgeTestRNG(seed: 1)
        let invalid: [LinkDestination] = [
            .hotmart(url: "javascript:alert(1)"), .kiwify(url: "//evil.example/"), .utm(url: "https://user@evil.example/"),
            .generic(url: "https://a.example/", parameter: ""), .generic(url: "https://a.example/", parameter: "a&b"),
            .telegram(bots: []), .telegram(bots: [WeightedBot(username: "evil.com/x")]),
            .telegram(bots: [WeightedBot(username: "acme_bot", weight: 0)]),
        ]
        for destination in invalid {
            #expect(DestinationURLBuilder.url(for: destination, clickID: clickID, requestParameters: [], using: &rng) == nil)
            #expect(DestinationURLBuilder.build(destination: destination, clickID: clickID,
                                                requestParameters: QueryString.parse("utm_source=https://evil.example")) == "/")
        }
    }

    @Test func normalisesCharactersThatCannotAppearInAURL() {
        #expect(build(.generic(url: "https://a.example/ação?q=olá&p=\"<x>\"&pct=100%&ok=%41#frag<ment>", parameter: "c"))
            == "https://a.example/a%C3%A7%C3%A3o?q=ol%C3%A1&p=%22%3Cx%3E%22&pct=100%25&ok=%41&c=\(clickID)#frag%3Cment%3E")
    }

    @Test func truncatesLongValuesOnACharacterBoundary() {
        let long = String(repeating: "é", count: 300) // 600 bytes
        let cut = DestinationURLBuilder.truncated(long)
        #expect(cut.utf8.count == 512)
        #expect(cut == String(repeating: "é", count: 256))
        #expect(DestinationURLBuilder.truncated("short") == "short")
        let url = build(.utm(url: "https://a.example/"), "utm_term=" + String(repeating: "a", count: 2000))
        #expect(url == "https://a.example/?utm_term=" + String(repeating: "a", count: 512))
    }
}

/// Hostile request parameters: whatever they contain, the host, scheme and path stay the
/// configured ones and each value reads back exactly (checked with Foundation's parser).
@Suite struct DestinationURLBuilderHostileInputTests {
    static let hostileValues = [
        "a&utm_medium=forged", "x#fragment", "100%", "%41%zz", "olá 🎯 ção", "line\r\nLocation: https://evil.example",
        "//evil.com", "javascript:alert(document.cookie)", "https://evil.example/?a=b", "a+b=c;d", "\u{0}\u{7F}", "?", "\\evil",
        "<script>alert(1)</script>", "..%2F..%2F", " leading and trailing ",
    ]

    @Test(arguments: hostileValues)
    func hostileValuesAreInert(_ value: String) throws {
        let destination = LinkDestination.hotmart(url: "https://pay.hotmart.com/X1?off=abc#top", alsoSrc: true)
        let location = DestinationURLBuilder.build(destination: destination, clickID: "01aryz6s41tsv4rrffq69g5fav",
                                                   requestParameters: [("utm_source", value), ("utm_content", value)])
        #expect(!location.contains("\r") && !location.contains("\n") && !location.contains(" "))
        #expect(location.allSatisfy { $0.isASCII })
        let components = try #require(URLComponents(string: location))
        #expect(components.scheme == "https")
        #expect(components.host == "pay.hotmart.com")
        #expect(components.path == "/X1")
        #expect(components.fragment == "top")
        let items = try #require(components.queryItems)
        #expect(items.map(\.name) == ["off", "sck", "src", "utm_source", "utm_content"])
        #expect(items.first { $0.name == "utm_source" }?.value == value)
        #expect(items.first { $0.name == "utm_content" }?.value == value)
        #expect(items.first { $0.name == "sck" }?.value == "01aryz6s41tsv4rrffq69g5fav")
    }

    @Test func hostileNamesAreNotCopied() {
        let location = DestinationURLBuilder.build(
            destination: .kiwify(url: "https://pay.kiwify.com.br/AbC"), clickID: "01aryz6s41tsv4rrffq69g5fav",
            requestParameters: [("utm_source[]", "x"), ("utm_source\r\n", "x"), ("utm_source ", "x"), ("https://evil.example", "x"),
                                ("utm_sourc", "x"), ("sck", "forged")])
        #expect(location == "https://pay.kiwify.com.br/AbC?sck=01aryz6s41tsv4rrffq69g5fav")
    }

    @Test func parsedFromARawHostileQuery() throws {
        let raw = "utm_source=%26evil%3D1&utm_medium=a%23b&utm_campaign=%25&utm_content=%E2%9C%93&utm_term=%0D%0Ax"
            + "&utm_id=%2F%2Fevil.com&utm_source%5B%5D=1"
        let location = DestinationURLBuilder.build(destination: .utm(url: "https://lp.example/x"), clickID: "unused",
                                                   requestParameters: QueryString.parse(raw))
        #expect(location == "https://lp.example/x?utm_source=%26evil%3D1&utm_medium=a%23b&utm_campaign=%25"
            + "&utm_content=%E2%9C%93&utm_term=%0D%0Ax&utm_id=%2F%2Fevil.com")
        let components = try #require(URLComponents(string: location))
        #expect(components.host == "lp.example")
        #expect(components.queryItems?.first { $0.name == "utm_term" }?.value == "\r\nx")
    }

    /// Every byte expanding to three, in every part at once: the size estimate must hold.
    @Test func worstCaseExpansionFitsTheEstimate() throws {
        let path = String(repeating: "é", count: 600) // 1200 bytes → 3600
        let url = "https://a.example/" + path + "?" + String(repeating: "<", count: 400) + "&sck=1#" + String(repeating: "{", count: 300)
        #expect(DestinationURLBuilder.validate(.hotmart(url: url, alsoSrc: true)) == [])
        let hostile = String(repeating: "\u{1}", count: 2000)
        let params = DestinationURLBuilder.passthroughParameters.map { ($0, hostile) }
        let location = DestinationURLBuilder.build(destination: .hotmart(url: url, alsoSrc: true), clickID: String(repeating: "%", count: 64),
                                                   requestParameters: params)
        let expected = "https://a.example/" + String(repeating: "%C3%A9", count: 600) + "?" + String(repeating: "%3C", count: 400)
            + "&sck=" + String(repeating: "%25", count: 64) + "&src=" + String(repeating: "%25", count: 64)
            + DestinationURLBuilder.passthroughParameters.map { "&\($0)=" + String(repeating: "%01", count: 512) }.joined()
            + "#" + String(repeating: "%7B", count: 300)
        #expect(location == expected)
    }

    @Test func percentEncodingOfComponents() {
        #expect(PercentEncoding.encodeComponent("AZaz09-._~") == "AZaz09-._~")
        #expect(PercentEncoding.encodeComponent("a b+c&d=e#f%g/h?i") == "a%20b%2Bc%26d%3De%23f%25g%2Fh%3Fi")
        #expect(PercentEncoding.encodeComponent("é") == "%C3%A9")
    }
}
