public import Foundation

/// The failure queue grouped by reason: how many, since when, and how many a replay would send.
public struct DeadLetterGroup: Sendable, Equatable {
    public var reason: String
    public var count: Int
    public var oldest: Date?
    public var newest: Date?
    /// Of the group's entries read (``DeadLetterQueue/groups(scope:)`` reads the newest
    /// 1,000), how many a replay would refuse as expired.
    public var expired: Int

    public init(reason: String, count: Int, oldest: Date?, newest: Date?, expired: Int) {
        self.reason = reason; self.count = count; self.oldest = oldest; self.newest = newest; self.expired = expired
    }

    public var explanation: InsightText { DeadLetterExplanation.of(reason: reason) }

    /// Groups entries by reason, the largest group first.
    public static func group(_ entries: [DeadLetterEntry]) -> [DeadLetterGroup] {
        Dictionary(grouping: entries, by: \.reason).map { reason, rows in
            let dates = rows.compactMap(\.createdAt)
            return DeadLetterGroup(reason: reason, count: rows.count, oldest: dates.min(), newest: dates.max(),
                                   expired: rows.filter { $0.replay == .expired }.count)
        }
        .sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
    }
}
