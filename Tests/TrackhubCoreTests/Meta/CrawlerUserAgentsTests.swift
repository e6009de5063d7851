import Foundation
import Logging
import Testing
@testable import TrackhubCore

/// The crawler list (issue 14): real user agents of preview bots are crawlers, real browsers
/// (Facebook's and Instagram's in-app browsers included) are not; a crawler's click is stored
/// and never becomes a PageView.
@Suite("CrawlerUserAgents")
struct CrawlerUserAgentsTests {
    static let crawlers = [
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "facebookcatalog/1.0",
        "meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
        "WhatsApp/2.23.20.0",
        "TelegramBot (like TwitterBot)",
        "Twitterbot/1.0",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "AdsBot-Google (+http://www.google.com/adsbot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)",
    ]
    static let browsers = [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/440.0.0.36.109;FBBV/535045212]",
        "Mozilla/5.0 (Linux; Android 14; SM-A546E Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 Instagram 309.1.0.41.113 Android",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
    ]

    @Test("preview bots and crawlers are crawlers", arguments: crawlers)
    func crawler(_ ua: String) { #expect(CrawlerUserAgents.isCrawler(ua)) }

    @Test("browsers, in-app browsers included, are not", arguments: browsers)
    func browser(_ ua: String) { #expect(!CrawlerUserAgents.isCrawler(ua)) }

    @Test("markers are lowercase and unique; no user agent is no crawler")
    func markers() {
        #expect(CrawlerUserAgents.markers.allSatisfy { $0 == $0.lowercased() && !$0.isEmpty })
        #expect(Set(CrawlerUserAgents.markers).count == CrawlerUserAgents.markers.count)
        #expect(!CrawlerUserAgents.isCrawler(nil) && !CrawlerUserAgents.isCrawler(""))
    }

    @Test("each marker is found in any case, at the start, in the middle and at the very end, next to non-ASCII text; a marker cut short is not")
    func everyMarkerAnywhere() {
        for marker in CrawlerUserAgents.markers {
            let upper = marker.uppercased()
            #expect(CrawlerUserAgents.isCrawler(upper), "\(marker)")
            #expect(CrawlerUserAgents.isCrawler("Mozilla/5.0 (São Paulo; ção) \(upper) ✓"), "\(marker)")
            #expect(CrawlerUserAgents.isCrawler("Mozilla/5.0 açaí " + marker), "\(marker)")
            #expect(!CrawlerUserAgents.isCrawler("Mozilla/5.0 " + String(marker.dropLast())) || CrawlerUserAgents.markers.contains { marker.dropLast().contains($0) },
                    "\(marker)")
        }
    }

    @Test("a crawler's click is stored and not sent; a browser's click is sent")
    func crawlerClickNotSent() async throws {
        let storage = InMemoryDispatchStorage()
        let meta = InMemoryCAPITransport()
        let logger = Logger(label: "test")
        let pipeline = DispatchPipeline(interpreter: EnvelopeInterpreter(keys: KeyRing(keys: [("k1", Array(repeating: 7, count: 32))])),
                                        sender: EventSender(transport: meta, gate: InMemoryPixelGate(), journal: storage, logger: logger),
                                        recorder: OutcomeRecorder(storage: storage, queue: InMemoryRetryQueue(), logger: logger),
                                        storage: storage, logger: logger)
        func click(_ i: Int, _ ua: String) throws -> StreamEntry {
            let id = "01JD00000000000000000000C\(i)"
            let e = Envelope(id: id, kind: .click, receivedAt: Int64(Date().timeIntervalSince1970 * 1000), tenant: "t1",
                             click: .init(slug: "s", pixel: nil, clickId: id, ip: "177.20.30.4", userAgent: ua, referrer: nil, utm: [:],
                                          fbclid: nil, gclid: nil, ttclid: nil, fbc: nil, fbp: nil, destination: "https://lp.example.com/"))
            return StreamEntry(stream: "th:ingest:normal", id: "1-\(i)", payload: try e.encoded())
        }
        let config = DispatchConfig(
            pixels: ["p1": DispatchConfig.Pixel(id: "p1", tenant: "t1", accessToken: "TOKEN", mode: .live, batchSize: 500,
                                                sendClickAsPageView: true)],
            tenants: ["t1": DispatchConfig.Tenant(id: "t1", defaultPixel: "p1")])
        try await pipeline.process([try click(1, Self.crawlers[0]), try click(2, Self.browsers[0])], config: config)
        #expect(storage.touchpointCount == 2)
        #expect(meta.acceptedEventIDs == ["01JD00000000000000000000C2"], "\(storage.deadLetters) \(storage.ledger.map(\.outcome))")
    }
}
