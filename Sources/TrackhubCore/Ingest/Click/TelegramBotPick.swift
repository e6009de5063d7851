/// Which bot of a link's weighted pool a click goes to, given the bots the health check found
/// dead (``TelegramPoolHealth/deadBots``). Pure: the generator is passed in, so tests fix it.
///
/// - The live bots (weight above 0, not dead) share the clicks by weight, exactly as the
///   configured pool does when every bot is live.
/// - No live bot and a `fallback_url`: the fallback.
/// - No live bot and no fallback: every configured bot by weight, as if none were dead — a
///   health check can be wrong, and a dead end of our making is worse than Telegram's page.
public enum TelegramBotPick: Sendable, Equatable {
    case bot(WeightedBot)
    case fallback
    /// The pool itself is invalid (a bad username or weight, no weight above 0): refused when
    /// the configuration was applied, so it never should reach here.
    case invalid

    public static func choose(_ bots: [WeightedBot], dead: Set<String>, hasFallback: Bool,
                              using rng: inout some RandomNumberGenerator) -> TelegramBotPick {
        var total = 0
        for bot in bots {
            guard WeightedBot.isValidUsername(bot.username), (0...WeightedBot.maxWeight).contains(bot.weight) else { return .invalid }
            total += bot.weight
        }
        guard total > 0 else { return .invalid }
        if !dead.isEmpty {
            let live = bots.filter { !dead.contains($0.username) }
            if let bot = weighted(live, using: &rng) { return .bot(bot) }
            if hasFallback { return .fallback }
        }
        return weighted(bots, using: &rng).map { .bot($0) } ?? .invalid
    }

    /// A bot drawn by weight, or nil when no weight is above 0.
    static func weighted(_ bots: [WeightedBot], using rng: inout some RandomNumberGenerator) -> WeightedBot? {
        let total = bots.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return nil }
        var pick = Int.random(in: 0..<total, using: &rng)
        for bot in bots {
            if pick < bot.weight { return bot }
            pick -= bot.weight
        }
        return nil
    }
}
