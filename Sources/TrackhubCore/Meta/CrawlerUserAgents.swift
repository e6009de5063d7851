/// Link-preview bots and crawlers: their requests are recorded (the touchpoint is stored) but
/// never sent to Meta as a PageView or a funnel event (issue 14: `facebookexternalhit`, which
/// Meta itself sends to preview an ad's link, became clicks and PageViews).
///
/// The one maintained list: a user agent is a crawler when it contains one of ``markers``,
/// case-insensitively. Add a marker when a new preview bot shows up in the touchpoints
/// (`SELECT user_agent, count(*) FROM touchpoints GROUP BY 1 ORDER BY 2 DESC`); a test holds
/// real user agents of each to it, and real browsers (including Facebook's in-app browser,
/// whose user agent says `FBAN`/`FBAV`, not `facebookexternalhit`) against it.
public enum CrawlerUserAgents {
    /// Lowercase substrings of crawler user agents.
    public static let markers: [String] = [
        // Meta's own link fetchers and previews
        "facebookexternalhit", "facebookcatalog", "facebookbot", "meta-externalagent", "meta-externalfetcher",
        // messengers' and social networks' link previews
        "whatsapp/", "telegrambot", "twitterbot", "slackbot", "slack-imgproxy", "linkedinbot", "discordbot",
        "pinterestbot", "redditbot", "skypeuripreview", "snapchat", "viberbot", "line-poker", "vkshare", "embedly",
        "quora link preview", "iframely", "bitlybot", "tumblr",
        // search engines and other crawlers
        "googlebot", "adsbot-google", "mediapartners-google", "google-inspectiontool", "bingbot", "bingpreview",
        "applebot", "yandexbot", "duckduckbot", "baiduspider", "petalbot", "ahrefsbot", "semrushbot", "mj12bot",
        "dotbot", "bytespider", "gptbot", "chatgpt-user", "claudebot", "perplexitybot", "ccbot", "amazonbot",
    ]

    /// Whether `userAgent` is a known crawler or link-preview bot.
    ///
    /// Runs for every click and page event dispatchd sends, so it compares bytes: the user
    /// agent's UTF-8 with ASCII letters lowered, against the markers that start with each byte.
    /// (`String.lowercased().contains` for each marker, Unicode-aware, took half of dispatchd's
    /// CPU in `scripts/bench`.) The markers are ASCII, so lowering only ASCII letters finds the same ones.
    public static func isCrawler(_ userAgent: String?) -> Bool {
        guard let userAgent, !userAgent.isEmpty else { return false }
        var bytes = Array(userAgent.utf8)
        for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A { bytes[i] |= 0x20 }
        for start in bytes.indices {
            for marker in markersByFirstByte[Int(bytes[start])] where start + marker.count <= bytes.count {
                if bytes[start..<start + marker.count].elementsEqual(marker) { return true }
            }
        }
        return false
    }

    /// ``markers`` as bytes, indexed by their first byte.
    private static let markersByFirstByte: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: 256)
        for marker in markers {
            let bytes = Array(marker.utf8)
            precondition(!bytes.isEmpty && bytes.allSatisfy { $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }, "markers are lowercase ASCII")
            table[Int(bytes[0])].append(bytes)
        }
        return table
    }()
}
