import Foundation
import Testing
@testable import TrackhubCore

@Suite struct LinkDestinationTests {
    @Test func codableRoundTrip() throws {
        let all: [LinkDestination] = [
            .hotmart(url: "https://pay.hotmart.com/X1?off=abc", alsoSrc: true),
            .hotmart(url: "https://pay.hotmart.com/X2"),
            .kiwify(url: "https://pay.kiwify.com.br/abc"),
            .telegram(bots: [WeightedBot(username: "acme_bot", weight: 3), WeightedBot(username: "acme2_bot")]),
            .generic(url: "https://shop.example/p", parameter: "subid"),
            .utm(url: "https://lp.example/"),
        ]
        let data = try JSONEncoder().encode(all)
        #expect(try JSONDecoder().decode([LinkDestination].self, from: data) == all)
    }

    @Test func decodesTheDocumentedFlatShape() throws {
        let json = #"""
        [{"type":"hotmart","url":"https://pay.hotmart.com/X1"},
         {"type":"hotmart","url":"https://pay.hotmart.com/X1","alsoSrc":true},
         {"type":"telegram","bots":[{"username":"acme_bot"},{"username":"other_bot","weight":0}]},
         {"type":"generic","url":"https://a.example","parameter":"cid"}]
        """#
        let decoded = try JSONDecoder().decode([LinkDestination].self, from: Data(json.utf8))
        #expect(decoded == [
            .hotmart(url: "https://pay.hotmart.com/X1", alsoSrc: false),
            .hotmart(url: "https://pay.hotmart.com/X1", alsoSrc: true),
            .telegram(bots: [WeightedBot(username: "acme_bot", weight: 1), WeightedBot(username: "other_bot", weight: 0)]),
            .generic(url: "https://a.example", parameter: "cid"),
        ])
    }

    @Test(arguments: [
        #"{"type":"ftp","url":"x"}"#, #"{"url":"https://a.example"}"#, #"{"type":"generic","url":"https://a.example"}"#,
        #"{"type":"telegram"}"#,
    ])
    func decodingRefusesWrongShapes(_ json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LinkDestination.self, from: Data(json.utf8)) }
    }

    @Test func clickIDParameters() {
        #expect(LinkDestination.hotmart(url: "https://a.example").clickIDParameters == ["sck"])
        #expect(LinkDestination.hotmart(url: "https://a.example", alsoSrc: true).clickIDParameters == ["sck", "src"])
        #expect(LinkDestination.kiwify(url: "https://a.example").clickIDParameters == ["sck"])
        #expect(LinkDestination.generic(url: "https://a.example", parameter: "cid").clickIDParameters == ["cid"])
        #expect(LinkDestination.utm(url: "https://a.example").clickIDParameters == [])
    }
}

@Suite struct DestinationValidationTests {
    @Test(arguments: [
        "https://pay.hotmart.com/X1", "http://example.com", "HTTPS://Example.COM/a/b?c=d#e", "https://example.com:8443/x",
        "https://[2001:db8::1]/x", "https://[2001:db8::1]:8443", "https://192.0.2.1/p", "https://sub_domain.example.com/",
        "https://example.com./", "https://example.com:/x", "https://example.com?x=1", "https://example.com#frag",
    ])
    func acceptsAbsoluteHTTPURLs(_ url: String) {
        #expect(DestinationURLBuilder.validate(.kiwify(url: url)) == [])
    }

    @Test(arguments: [
        "", "pay.hotmart.com/X1", "//evil.example/x", "/relative", "javascript:alert(1)", "ftp://example.com/",
        "https://", "https:///path", "https://?x=1", "https://user:pass@example.com/", "https://good.example@evil.example/",
        "https://exa mple.com/", "https://example.com/a b", "https://example.com/\r\nSet-Cookie:x=1", "https://example.com\\@evil.example",
        "https://exa%6dple.com/", "https://.example.com/", "https://a..b/", "https://example.com:99999/", "https://example.com:8a/",
        "https://[2001:db8::zz]/", "https://[2001:db8::1/", "https://例え.jp/", "data:text/html,<script>",
        "https://" + String(repeating: "a", count: 2048),
    ])
    func refusesEverythingElse(_ url: String) {
        #expect(!DestinationURLBuilder.validate(.hotmart(url: url)).isEmpty)
        #expect(!DestinationURLBuilder.validate(.utm(url: url)).isEmpty)
    }

    @Test func genericParameterNames() {
        #expect(DestinationURLBuilder.validate(.generic(url: "https://a.example", parameter: "sub_id-1.x~")) == [])
        #expect(DestinationURLBuilder.validate(.generic(url: "https://a.example", parameter: "")).count == 1)
        #expect(DestinationURLBuilder.validate(.generic(url: "https://a.example", parameter: "a&b")).count == 1)
        #expect(DestinationURLBuilder.validate(.generic(url: "https://a.example", parameter: "a b")).count == 1)
        #expect(DestinationURLBuilder.validate(.generic(url: "https://a.example", parameter: String(repeating: "p", count: 65))).count == 1)
        #expect(DestinationURLBuilder.validate(.generic(url: "nope", parameter: "")).count == 2)
    }

    @Test func telegramBots() {
        #expect(DestinationURLBuilder.validate(.telegram(bots: [WeightedBot(username: "acme_bot")])) == [])
        #expect(DestinationURLBuilder.validate(.telegram(bots: [])) == ["telegram needs at least one bot"])
        for bad in ["abcd", String(repeating: "a", count: 33), "@acme_bot", "acme-bot", "acme.bot", "evil.com/x", "acme bot", "açme_bot"] {
            #expect(DestinationURLBuilder.validate(.telegram(bots: [WeightedBot(username: bad)])).count == 1, "\(bad)")
        }
        #expect(DestinationURLBuilder.validate(.telegram(bots: [WeightedBot(username: "acme_bot", weight: -1)])).count == 2)
        #expect(DestinationURLBuilder.validate(.telegram(bots: [WeightedBot(username: "acme_bot", weight: 0)])) ==
            ["at least one bot must have a weight above 0"])
        #expect(DestinationURLBuilder.validate(.telegram(bots: [WeightedBot(username: "acme_bot", weight: 1_000_001)])).count == 1)
    }
}

@Suite("a Telegram link's fallback_url")
struct TelegramFallbackURLTests {
    @Test("read from the file (fallback_url), stored as fallbackURL, written back; optional")
    func mapping() throws {
        let value: ConfigValue = .object(["type": .string("telegram"), "bots": .array([.object(["username": .string("acme_bot")])]),
                                          "fallback_url": .string("https://wa.me/5511999999999")])
        let destination = try LinkDestinationMapping.decode(value).get()
        #expect(destination == .telegram(bots: [WeightedBot(username: "acme_bot")], fallbackURL: "https://wa.me/5511999999999"))
        #expect(try LinkDestinationMapping.configValue(destination) == value.mappingWeightDefault())
        #expect(try LinkDestinationMapping.storedJSON(destination).contains(#""fallbackURL":"https://wa.me/5511999999999""#))
        let without: ConfigValue = .object(["type": .string("telegram"), "bots": .array([.object(["username": .string("acme_bot")])])])
        #expect(try LinkDestinationMapping.decode(without).get() == .telegram(bots: [WeightedBot(username: "acme_bot")]))
    }

    @Test("validated like any configured URL")
    func validation() {
        let bots = [WeightedBot(username: "acme_bot")]
        #expect(DestinationURLBuilder.validate(.telegram(bots: bots, fallbackURL: "https://wa.me/5511999999999")) == [])
        let errors = DestinationURLBuilder.validate(.telegram(bots: bots, fallbackURL: "javascript:alert(1)"))
        #expect(errors.count == 1 && errors[0].hasPrefix("fallback_url "), "\(errors)")
    }
}

private extension ConfigValue {
    /// The written form spells out each bot's weight (1 when left out).
    func mappingWeightDefault() -> ConfigValue {
        guard case .object(var o) = self, case .array(let bots)? = o["bots"] else { return self }
        o["bots"] = .array(bots.map { b in
            guard case .object(var f) = b else { return b }
            if f["weight"] == nil { f["weight"] = .int(1) }
            return .object(f)
        })
        return .object(o)
    }
}
