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
    public static func isCrawler(_ userAgent: String?) -> Bool {
        guard let userAgent, !userAgent.isEmpty else { return false }
        let lower = userAgent.lowercased()
        return markers.contains { lower.contains($0) }
    }
}
