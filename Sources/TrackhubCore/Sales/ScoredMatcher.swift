public import Foundation

/// The last-resort sale↔click match, used when no click id, session id, email or phone ties a
/// sale to a touchpoint: the buyer's IP address and user agent (when the gateway sends them)
/// against the tenant's recent clicks, weighted by how close in time the click was.
///
/// Scores are in 0...1 and are stored with the match (`matches.score`), so an operator can see
/// how much a `scored` match is worth; deterministic methods score 0.8–1.0.
///
/// | signal | points |
/// |---|---|
/// | same IP address | 0.60 |
/// | same network (IPv4 /24, IPv6 /64), not the same address | 0.30 |
/// | same user agent | 0.25 |
/// | time: click `t` before the sale, window `w` | 0.15 × (1 − t / w) |
///
/// With the default threshold (0.7) the same IP needs a click in the first third of the window
/// or the same user agent; a neighbouring address needs both the user agent and a recent
/// click; a user agent alone never matches. Two different clicks scoring within ``tieMargin``
/// of each other are ambiguous and match neither: a wrong click would lend another person's
/// fbc to the Purchase, which is worse than none.
public struct ScoredMatcher: Sendable {
    public struct Candidate: Sendable, Equatable {
        public var id: Int64
        public var ip: String?
        public var userAgent: String?
        public var occurredAt: Date

        public init(id: Int64, ip: String?, userAgent: String?, occurredAt: Date) {
            self.id = id; self.ip = ip; self.userAgent = userAgent; self.occurredAt = occurredAt
        }
    }

    public struct Sale: Sendable, Equatable {
        public var ip: String?
        public var userAgent: String?
        public var occurredAt: Date

        public init(ip: String?, userAgent: String?, occurredAt: Date) {
            self.ip = ip; self.userAgent = userAgent; self.occurredAt = occurredAt
        }
    }

    public enum Verdict: Sendable, Equatable {
        case matched(candidateID: Int64, score: Double)
        /// The best score was under the threshold (or there was no candidate).
        case belowThreshold(best: Double)
        /// Two different clicks scored within ``ScoredMatcher/tieMargin`` of each other.
        case ambiguous(best: Double)
    }

    public static let sameAddressPoints = 0.60
    public static let sameNetworkPoints = 0.30
    public static let sameUserAgentPoints = 0.25
    public static let timePoints = 0.15
    public static let tieMargin = 0.05
    /// A click may be stamped slightly after the sale (clocks of two machines).
    public static let clockSkew: TimeInterval = 300

    public var window: TimeInterval
    public var threshold: Double

    public init(window: TimeInterval, threshold: Double = 0.7) {
        self.window = window
        self.threshold = threshold
    }

    /// The score of one candidate click for this sale (0 when it is outside the window).
    public func score(_ c: Candidate, for sale: Sale) -> Double {
        let age = sale.occurredAt.timeIntervalSince(c.occurredAt)
        guard age >= -Self.clockSkew, age <= window, window > 0 else { return 0 }
        var points = 0.0
        if let a = sale.ip.flatMap(IPAddress.init(lenient:)), let b = c.ip.flatMap(IPAddress.init(lenient:)) {
            if a == b {
                points += Self.sameAddressPoints
            } else if a.isInSameNetwork(as: b) {
                points += Self.sameNetworkPoints
            }
        }
        if let a = sale.userAgent, let b = c.userAgent, !a.isEmpty, a == b { points += Self.sameUserAgentPoints }
        points += Self.timePoints * (1 - max(0, age) / window)
        return (points * 1000).rounded() / 1000
    }

    /// The best candidate if it clears the threshold and is not tied with another click.
    public func verdict(_ candidates: [Candidate], for sale: Sale) -> Verdict {
        let scored = candidates.map { ($0.id, score($0, for: sale)) }.sorted { $0.1 > $1.1 }
        guard let best = scored.first, best.1 >= threshold else { return .belowThreshold(best: scored.first?.1 ?? 0) }
        if scored.count > 1, scored[1].0 != best.0, best.1 - scored[1].1 < Self.tieMargin { return .ambiguous(best: best.1) }
        return .matched(candidateID: best.0, score: best.1)
    }
}
