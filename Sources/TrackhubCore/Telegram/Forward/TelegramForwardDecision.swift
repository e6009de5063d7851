public import Foundation

/// What to do with a forward after one attempt (or before it, when it cannot be made): a pure
/// function of the bot's forward URL check, the backend's answer and the attempt count, so
/// every branch is unit-tested without a server.
///
/// Any 2xx is delivered. Anything else — a 4xx included — is retried with exponential backoff
/// and full jitter (``RetryPolicy``): Telegram itself retries every non-2xx answer, and a bot
/// backend refusing an update during a deploy is common; after the budget the update is
/// dead-lettered (replayable with `dispatchd dlq replay`), never dropped. A bot without a usable
/// `forward_url` (removed, or not https) is dead-lettered at once: retrying cannot help.
public struct TelegramForwardDecision: Sendable {
    public enum Verdict: Sendable, Equatable {
        case delivered
        /// Try again at this Unix ms; the reason says what failed (no URL, no body: safe to log).
        case retry(atMs: Int64, reason: String)
        case deadLetter(reason: String)
    }

    /// The forward retry budget: first retry within 1 s, doubling to at most 10 min, 15 attempts
    /// (about an hour of backend downtime, half that on average with the jitter).
    public static let defaultPolicy = RetryPolicy(base: .seconds(1), cap: .seconds(600), maxAttempts: 15)

    public let policy: RetryPolicy

    public init(policy: RetryPolicy = TelegramForwardDecision.defaultPolicy) {
        self.policy = policy
    }

    /// Why `url` cannot be forwarded to, or nil when it can (``OutboundURLRule``: https, or
    /// http to a loopback host when `allowLoopbackHTTP`).
    public static func urlProblem(_ url: String?, allowLoopbackHTTP: Bool) -> String? {
        guard let url, !url.isEmpty else { return "the bot has no forward_url" }
        return OutboundURLRule.problem(url, allowLoopbackHTTP: allowLoopbackHTTP).map { "forward_url \($0)" }
    }

    /// The verdict after attempt number `attempt` (1 for the first) ended with `outcome`.
    public func decide(_ outcome: HTTPOutcome, attempt: Int, nowMs: Int64, random: inout some RandomNumberGenerator) -> Verdict {
        let failure: String
        switch outcome {
        case .response(let status, _, _) where (200...299).contains(status):
            return .delivered
        case .response(let status, _, _):
            failure = "HTTP \(status)"
        case .failure(let kind, _, _):
            failure = "no answer (\(kind.rawValue))"
        }
        guard let delay = policy.nextDelay(attempt: attempt, random: &random) else {
            return .deadLetter(reason: "\(failure) after \(attempt) attempts")
        }
        return .retry(atMs: nowMs + delay.wholeMilliseconds, reason: failure)
    }
}
