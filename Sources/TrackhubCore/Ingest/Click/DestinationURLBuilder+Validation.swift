/// Configuration-time checks for link destinations, so that mistakes are reported to the
/// operator by `dispatchd apply` instead of sending real ad traffic to a broken redirect.
extension DestinationURLBuilder {
    /// Every problem with `destination`, as sentences for the operator; empty when valid.
    public static func validate(_ destination: LinkDestination) -> [String] {
        var errors: [String] = []
        if let url = destination.configuredURL {
            var copy = url
            var name = "url"
            if case .telegram = destination { name = "fallback_url" }
            if case .failure(let problem) = copy.withUTF8({ ConfiguredURL.parse($0) }) {
                errors.append("\(name) \(problem)")
            }
        }
        switch destination {
        case .generic(_, let parameter):
            if !isValidParameterName(parameter) {
                errors.append("parameter must be 1–64 characters of A–Z, a–z, 0–9, '-', '.', '_', '~'")
            }
        case .telegram(let bots, _):
            if bots.isEmpty { errors.append("telegram needs at least one bot") }
            for bot in bots {
                if !WeightedBot.isValidUsername(bot.username) {
                    errors.append("bot username '\(bot.username)' must be 5–32 characters of A–Z, a–z, 0–9 and '_' (without '@')")
                }
                if !(0...WeightedBot.maxWeight).contains(bot.weight) {
                    errors.append("bot '\(bot.username)' weight must be between 0 and \(WeightedBot.maxWeight)")
                }
            }
            if !bots.isEmpty, !bots.contains(where: { $0.weight > 0 }) {
                errors.append("at least one bot must have a weight above 0")
            }
        case .hotmart, .kiwify, .utm:
            break
        }
        return errors
    }
}
