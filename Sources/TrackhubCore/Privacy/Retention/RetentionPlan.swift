public import Foundation

/// What one retention run does at time `now` — the decision, as a value (the functional core;
/// ``RetentionRunner`` executes it).
///
/// - The ledger's monthly partitions: those of the current month and the next
///   ``monthsAhead`` are created if missing; a partition is dropped whole once its upper bound
///   is past the *longest* ledger period of any tenant (the partition horizon), since it holds
///   every tenant's rows.
/// - Rows, per tenant (and per "everyone else", under the default policy): each item older
///   than the tenant's period is expired in bounded batches. The ledger's rows are deleted in
///   batches only where partition drops do not reach: for a tenant whose ledger period is
///   shorter than the horizon (all partitions), and in the partitions with no lower bound (the
///   table from before partitioning, and the default one) for every tenant — so an old install
///   sheds its history on the first run instead of when its old table finally drops.
public struct RetentionPlan: Sendable, Equatable {
    /// One batched expiry: `item`'s rows of `scope` in `table` older than `before` (and, when
    /// `notBefore` is set, not older than it: the previous run covered those).
    public struct RowExpiry: Sendable, Equatable {
        public var item: RetentionItem
        public var scope: RetentionScope
        public var table: String
        public var before: Date
        public var notBefore: Date?
    }

    public var now: Date
    /// Rows of the ledger in partitions whose end is at or before this are dropped with them.
    public var partitionHorizon: Date
    public var createPartitions: [LedgerPartition]
    public var dropPartitions: [LedgerPartition]
    public var rowExpiries: [RowExpiry]

    /// Months created ahead of the current one.
    public static let monthsAhead = 3

    /// - Parameters:
    ///   - policies: each configured tenant's policy.
    ///   - defaultPolicy: for rows of no configured tenant.
    ///   - partitions: the ledger's partitions now.
    ///   - progress: per `scope.key|item.rawValue`, the cutoff the last completed pass used.
    public static func make(now: Date, policies: [String: RetentionPolicy], defaultPolicy: RetentionPolicy = .default,
                            partitions: [LedgerPartition], progress: [String: Date] = [:]) -> RetentionPlan {
        let day: TimeInterval = 86_400
        let horizonDays = ([defaultPolicy] + policies.values).map(\.ledgerDays).max()!
        let horizon = now.addingTimeInterval(-Double(horizonDays) * day)

        var create: [LedgerPartition] = []
        var month = LedgerPartition.monthStart(now)
        for _ in 0...monthsAhead {
            let wanted = LedgerPartition.month(month)
            if !partitions.contains(where: { $0.overlaps(from: wanted.from!, to: wanted.to!) }) { create.append(wanted) }
            month = wanted.to!
        }
        let drop = partitions.filter { p in !p.isDefault && p.to.map { $0 <= horizon } == true }
        let unbounded = partitions.filter { p in (p.from == nil || p.isDefault) && !drop.contains(p) }.map(\.name)

        var rows: [RowExpiry] = []
        let scopes = policies.keys.sorted().map { (RetentionScope.tenant($0), policies[$0]!) } + [(RetentionScope.others, defaultPolicy)]
        for (scope, policy) in scopes {
            for item in RetentionItem.allCases where item != .touchpointsAnonymised {
                let before = now.addingTimeInterval(-Double(policy[item.field]) * day)
                let notBefore = progress["\(scope.key)|\(item.rawValue)"].map {
                    min($0, before).addingTimeInterval(-Double(item.slackDays) * day)
                }
                let tables: [String]
                if item == .ledgerRows {
                    tables = policy.ledgerDays < horizonDays ? [LedgerPartition.parent] : unbounded
                } else {
                    tables = [item.table]
                }
                for table in tables {
                    rows.append(RowExpiry(item: item, scope: scope, table: table, before: before, notBefore: notBefore))
                }
            }
        }
        return RetentionPlan(now: now, partitionHorizon: horizon, createPartitions: create, dropPartitions: drop, rowExpiries: rows)
    }
}

extension RetentionItem {
    /// The table its rows live in.
    var table: String {
        switch self {
        case .webhookBodies: "webhook_inbox"
        case .ledgerPersonal, .ledgerRows: LedgerPartition.parent
        case .touchpoints, .touchpointsAnonymised: "touchpoints"
        case .deadLetters: "dead_letters"
        case .dedupeKeys: "dedupe_registry"
        }
    }
}
