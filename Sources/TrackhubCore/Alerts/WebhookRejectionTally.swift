public import Foundation
import Synchronization

/// Webhooks refused for their authentication, counted in memory per minute and account until
/// ingestd's reporter writes them to Redis (``IngestReportCommands/rejections(_:minute:keys:)``).
/// Counting is a lock and an addition, so a flood of forged deliveries costs the request path
/// nothing and Redis one `HINCRBY` per account per report; what a failed write took is put back.
public final class WebhookRejectionTally: Sendable {
    /// Minute → `gateway/account` → refusals not yet written.
    private let counts = Mutex<[Int64: [String: Int]]>([:])
    /// Minutes kept while Redis is away; older counts are dropped (the rule's window is ≤ 60 min).
    public static let maxMinutesKept = 60

    public init() {}

    /// Counts one refusal of `gateway`/`account` at `date`.
    public func add(gateway: String, account: String, at date: Date = Date()) {
        let minute = IngestReportCommands.minute(of: date)
        counts.withLock { $0[minute, default: [:]]["\(gateway)/\(account)", default: 0] += 1 }
    }

    /// Takes every count (the tally is empty afterwards), oldest minute first.
    public func take() -> [(minute: Int64, counts: [String: Int])] {
        counts.withLock { all in
            defer { all.removeAll() }
            return all.keys.sorted().map { ($0, all[$0] ?? [:]) }
        }
    }

    /// Puts back counts whose write failed, keeping only the newest ``maxMinutesKept`` minutes.
    public func putBack(_ taken: [(minute: Int64, counts: [String: Int])]) {
        counts.withLock { all in
            for (minute, byAccount) in taken {
                for (account, n) in byAccount { all[minute, default: [:]][account, default: 0] += n }
            }
            if all.count > Self.maxMinutesKept, let newest = all.keys.max() {
                all = all.filter { $0.key > newest - Int64(Self.maxMinutesKept) }
            }
        }
    }
}
