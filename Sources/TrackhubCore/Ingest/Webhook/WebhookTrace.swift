public import Foundation

/// The last deliveries ingestd saw for one gateway account: when one last authenticated, when
/// one was last refused and why. The setup assistant reads it while it waits for the gateway's
/// test delivery, so it can say "chegou, assinatura válida" or "chegou uma entrega mas a
/// assinatura não confere" without a worker running. Times and a coarse reason only: never the
/// body, never a secret, never the presented signature. Kept in a Redis hash
/// (``StreamLayout/webhookTrace(gateway:account:)``) that expires after ``ttlSeconds``.
public struct WebhookTrace: Sendable, Equatable {
    /// Unix seconds of the last delivery that authenticated.
    public var acceptedAt: Double?
    /// Unix seconds of the last delivery refused by authentication, and why.
    public var refusedAt: Double?
    public var refusedReason: WebhookRejection?

    /// How long a trace lives after its last write: a day (long enough for a setup session).
    public static let ttlSeconds = 86_400

    public init(acceptedAt: Double? = nil, refusedAt: Double? = nil, refusedReason: WebhookRejection? = nil) {
        self.acceptedAt = acceptedAt
        self.refusedAt = refusedAt
        self.refusedReason = refusedReason
    }

    /// The commands recording one delivery (`HSET`, then `EXPIRE`), to pipeline on one connection.
    public static func recordCommands(key: String, outcome: WebhookAuthResult, at time: Double) -> [[String]] {
        let stamp = String(format: "%.3f", time)
        let set: [String] = switch outcome {
        case .ok: ["HSET", key, "accepted_at", stamp]
        case .rejected(let reason): ["HSET", key, "refused_at", stamp, "refused_reason", reason.rawValue]
        }
        return [set, ["EXPIRE", key, String(ttlSeconds)]]
    }

    /// The trace from an `HGETALL` reply (empty when the key does not exist).
    public static func parse(_ reply: RedisReply) -> WebhookTrace {
        var fields: [String: String] = [:]
        let items = reply.elements
        var i = 0
        while i + 1 < items.count {
            if let name = items[i].text, let value = items[i + 1].text { fields[name] = value }
            i += 2
        }
        return WebhookTrace(acceptedAt: fields["accepted_at"].flatMap(Double.init),
                            refusedAt: fields["refused_at"].flatMap(Double.init),
                            refusedReason: fields["refused_reason"].flatMap(WebhookRejection.init(rawValue:)))
    }

    /// Reads one account's trace (blocking: call on a driver thread).
    public static func read(_ connection: RedisConnection, layout: StreamLayout, gateway: String, account: String) throws -> WebhookTrace {
        parse(try connection.checked(["HGETALL", layout.webhookTrace(gateway: gateway, account: account)]))
    }

    /// What the assistant shows for deliveries since `since` (when the secret was saved).
    public enum Status: Sendable, Equatable {
        /// Nothing arrived since then.
        case waiting
        /// The latest delivery since then authenticated, at this time.
        case accepted(at: Double)
        /// The latest delivery since then was refused, at this time, for this reason.
        case refused(at: Double, reason: WebhookRejection)
    }

    /// The latest delivery at or after `since` decides; an authenticated one wins a tie.
    public func status(since: Double) -> Status {
        let accepted = acceptedAt.flatMap { $0 >= since ? $0 : nil }
        let refused = refusedAt.flatMap { $0 >= since ? $0 : nil }
        switch (accepted, refused) {
        case (let a?, let r?): return r > a ? .refused(at: r, reason: refusedReason ?? .badSignature) : .accepted(at: a)
        case (let a?, nil): return .accepted(at: a)
        case (nil, let r?): return .refused(at: r, reason: refusedReason ?? .badSignature)
        case (nil, nil): return .waiting
        }
    }
}
