/// Where a tracking link sends the person after the click is recorded, and where in that
/// destination the click id travels so the sale or lead can be tied back to the click.
///
/// Stored in configuration as a flat, tagged JSON/YAML object, e.g.
/// `{"type": "hotmart", "url": "https://pay.hotmart.com/X1", "alsoSrc": true}`,
/// `{"type": "telegram", "bots": [{"username": "acme_bot", "weight": 3}], "fallbackURL": "https://…"}`,
/// `{"type": "generic", "url": "https://shop.example/p", "parameter": "subid"}`.
/// Check a destination with ``DestinationURLBuilder/validate(_:)`` when configuration is
/// written; decoding checks only the shape, so one bad link can never make ingestd refuse a
/// whole configuration snapshot.
public enum LinkDestination: Codable, Sendable, Equatable {
    /// A Hotmart checkout. Hotmart reports `sck` (and `src`) back in the purchase webhook as
    /// `purchase.origin.sck` / `.src`; `alsoSrc` also fills `src` for accounts whose
    /// integrations read that one.
    case hotmart(url: String, alsoSrc: Bool = false)
    /// A Kiwify checkout; Kiwify reports `sck` back in `TrackingParameters.sck`.
    case kiwify(url: String)
    /// A Telegram bot deep link `https://t.me/{bot}?start={click id}`; the bot receives the
    /// click id in `/start`. Several bots spread load (and risk of a ban) by weight; a bot the
    /// health check found dead leaves the rotation, and when none is left the person goes to
    /// `fallbackURL` (a page, a WhatsApp link: anything but a dead bot), with the campaign's
    /// `utm_*` but no click id. Without a fallback every configured bot stays in rotation.
    case telegram(bots: [WeightedBot], fallbackURL: String? = nil)
    /// Any page that reads the click id from the query parameter `parameter`.
    case generic(url: String, parameter: String)
    /// A page that only needs the campaign's `utm_*` passed through (e.g. one with its own
    /// pixel); no click-id parameter is added.
    case utm(url: String)

    /// The query parameters that carry the click id, in the order they are added.
    public var clickIDParameters: [String] {
        switch self {
        case .hotmart(_, let alsoSrc): return alsoSrc ? ["sck", "src"] : ["sck"]
        case .kiwify: return ["sck"]
        case .generic(_, let parameter): return [parameter]
        case .telegram: return ["start"]
        case .utm: return []
        }
    }

    /// The configured URL, for every kind but Telegram (whose only URL is its fallback).
    public var configuredURL: String? {
        switch self {
        case .hotmart(let url, _), .kiwify(let url), .generic(let url, _), .utm(let url): return url
        case .telegram(_, let fallbackURL): return fallbackURL
        }
    }

    // MARK: - Codable

    private enum CodingKeys: String, CodingKey {
        case type, url, alsoSrc, bots, parameter, fallbackURL
    }

    private enum Kind: String, Codable {
        case hotmart, kiwify, telegram, generic, utm
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(Kind.self, forKey: .type) {
        case .hotmart:
            self = .hotmart(url: try c.decode(String.self, forKey: .url),
                            alsoSrc: try c.decodeIfPresent(Bool.self, forKey: .alsoSrc) ?? false)
        case .kiwify:
            self = .kiwify(url: try c.decode(String.self, forKey: .url))
        case .telegram:
            self = .telegram(bots: try c.decode([WeightedBot].self, forKey: .bots),
                             fallbackURL: try c.decodeIfPresent(String.self, forKey: .fallbackURL))
        case .generic:
            self = .generic(url: try c.decode(String.self, forKey: .url),
                            parameter: try c.decode(String.self, forKey: .parameter))
        case .utm:
            self = .utm(url: try c.decode(String.self, forKey: .url))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .hotmart(let url, let alsoSrc):
            try c.encode(Kind.hotmart, forKey: .type)
            try c.encode(url, forKey: .url)
            try c.encode(alsoSrc, forKey: .alsoSrc)
        case .kiwify(let url):
            try c.encode(Kind.kiwify, forKey: .type)
            try c.encode(url, forKey: .url)
        case .telegram(let bots, let fallbackURL):
            try c.encode(Kind.telegram, forKey: .type)
            try c.encode(bots, forKey: .bots)
            try c.encodeIfPresent(fallbackURL, forKey: .fallbackURL)
        case .generic(let url, let parameter):
            try c.encode(Kind.generic, forKey: .type)
            try c.encode(url, forKey: .url)
            try c.encode(parameter, forKey: .parameter)
        case .utm(let url):
            try c.encode(Kind.utm, forKey: .type)
            try c.encode(url, forKey: .url)
        }
    }
}

/// One Telegram bot of a ``LinkDestination/telegram(bots:)`` destination.
public struct WeightedBot: Codable, Sendable, Equatable {
    /// The bot's username without `@` (`[A-Za-z0-9_]{5,32}`).
    public var username: String
    /// Relative share of clicks; 0 takes the bot out of rotation without deleting it.
    public var weight: Int

    /// The largest weight accepted, so the sum of weights can never overflow.
    public static let maxWeight = 1_000_000

    public init(username: String, weight: Int = 1) {
        self.username = username
        self.weight = weight
    }

    private enum CodingKeys: String, CodingKey { case username, weight }

    /// `weight` may be omitted and then is 1.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        username = try c.decode(String.self, forKey: .username)
        weight = try c.decodeIfPresent(Int.self, forKey: .weight) ?? 1
    }

    /// Whether `username` is a valid Telegram username: 5–32 of `A–Z a–z 0–9 _`. Checked when
    /// building every link too, since it becomes part of the URL path.
    public static func isValidUsername(_ username: String) -> Bool {
        let utf8 = username.utf8
        return (5...32).contains(utf8.count) && utf8.allSatisfy {
            ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || $0 == UInt8(ascii: "_")
        }
    }
}
