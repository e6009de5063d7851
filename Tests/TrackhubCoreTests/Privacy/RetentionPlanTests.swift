import Foundation
import Testing
@testable import TrackhubCore

@Suite("retention plan")
struct RetentionPlanTests {
    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    static let day: TimeInterval = 86_400

    /// The ledger right after the migration on 2026-12-07: the old table up to February, two
    /// months, the default partition.
    static let migrated = [
        LedgerPartition(name: "dispatch_attempts_p0", from: nil, to: utc("2027-02-01T00:00:00Z")),
        LedgerPartition.month(utc("2027-02-01T00:00:00Z")),
        LedgerPartition.month(utc("2027-03-01T00:00:00Z")),
        LedgerPartition(name: "dispatch_attempts_default", from: nil, to: nil, isDefault: true),
    ]

    @Test("month partitions are named and bounded in UTC, December rolls into January")
    func monthNames() {
        let dec = LedgerPartition.month(Self.utc("2026-12-01T00:00:00Z"))
        #expect(dec.name == "dispatch_attempts_p2026_12")
        #expect(dec.to == Self.utc("2027-01-01T00:00:00Z"))
        #expect(LedgerPartition.monthStart(Self.utc("2027-03-31T23:59:59Z")) == Self.utc("2027-03-01T00:00:00Z"))
    }

    @Test("creates the current month and three ahead, only where no partition covers them")
    func createsAhead() {
        let plan = RetentionPlan.make(now: Self.utc("2027-02-10T03:00:00Z"), policies: [:], partitions: Self.migrated)
        #expect(plan.createPartitions.map(\.name) == ["dispatch_attempts_p2027_04", "dispatch_attempts_p2027_05"])
        let first = RetentionPlan.make(now: Self.utc("2026-12-07T03:00:00Z"), policies: [:], partitions: Self.migrated)
        #expect(first.createPartitions.isEmpty, "p0 covers December and January, the migration made February and March")
        #expect(first.dropPartitions.isEmpty)
    }

    @Test("a partition is dropped only when its end is past the longest ledger period of every tenant")
    func dropsAtTheHorizon() {
        let now = Self.utc("2028-04-15T00:00:00Z")
        let parts = Self.migrated + [LedgerPartition.month(Self.utc("2027-04-01T00:00:00Z"))]
        // Default 395 days: horizon 2027-03-12. p0 (to Feb 1) and February (to Mar 1) go; March does not.
        let plan = RetentionPlan.make(now: now, policies: ["a": .default], partitions: parts)
        #expect(plan.partitionHorizon == now.addingTimeInterval(-395 * Self.day))
        #expect(plan.dropPartitions.map(\.name) == ["dispatch_attempts_p0", "dispatch_attempts_p2027_02"])
        // One tenant keeping its ledger 800 days holds every partition.
        var long = RetentionPolicy.default
        long.ledgerDays = 800
        let held = RetentionPlan.make(now: now, policies: ["a": .default, "b": long], partitions: parts)
        #expect(held.dropPartitions.isEmpty)
        #expect(!held.dropPartitions.contains { $0.isDefault })
    }

    @Test("ledger rows: batched over the whole ledger for a shorter tenant, only in unbounded partitions for the others")
    func ledgerRowsWhereDropsDoNotReach() {
        let now = Self.utc("2027-02-10T00:00:00Z")
        var short = RetentionPolicy.default
        short.ledgerDays = 60
        let plan = RetentionPlan.make(now: now, policies: ["long": .default, "short": short], partitions: Self.migrated)
        let ledger = plan.rowExpiries.filter { $0.item == .ledgerRows }
        #expect(ledger.filter { $0.scope == .tenant("short") }.map(\.table) == ["dispatch_attempts"])
        #expect(ledger.filter { $0.scope == .tenant("short") }.first?.before == now.addingTimeInterval(-60 * Self.day))
        #expect(ledger.filter { $0.scope == .tenant("long") }.map(\.table) == ["dispatch_attempts_p0", "dispatch_attempts_default"])
        #expect(ledger.filter { $0.scope == .others }.map(\.table) == ["dispatch_attempts_p0", "dispatch_attempts_default"])
    }

    @Test("every item of every tenant and of everyone else, with the tenant's own period")
    func perTenantCutoffs() {
        let now = Self.utc("2027-01-20T00:00:00Z")
        var shop = RetentionPolicy.default
        shop.webhookBodyDays = 10
        shop.touchpointDays = 45
        let plan = RetentionPlan.make(now: now, policies: ["shop": shop], partitions: Self.migrated)
        func cutoff(_ item: RetentionItem, _ scope: RetentionScope) -> Date? {
            plan.rowExpiries.first { $0.item == item && $0.scope == scope }?.before
        }
        #expect(cutoff(.webhookBodies, .tenant("shop")) == now.addingTimeInterval(-10 * Self.day))
        #expect(cutoff(.webhookBodies, .others) == now.addingTimeInterval(-90 * Self.day))
        #expect(cutoff(.touchpoints, .tenant("shop")) == now.addingTimeInterval(-45 * Self.day))
        #expect(cutoff(.ledgerPersonal, .tenant("shop")) == now.addingTimeInterval(-30 * Self.day))
        #expect(cutoff(.deadLetters, .others) == now.addingTimeInterval(-30 * Self.day))
        #expect(cutoff(.dedupeKeys, .tenant("shop")) == now.addingTimeInterval(-30 * Self.day))
        #expect(!plan.rowExpiries.contains { $0.item == .touchpointsAnonymised }, "reported by the touchpoints pass, not planned")
        #expect(plan.rowExpiries.allSatisfy { $0.notBefore == nil }, "no earlier run: everything older is looked at")
    }

    @Test("a later run starts a little before where the last one stopped (a week more for touchpoints)")
    func progressBoundsTheScan() {
        let now = Self.utc("2027-01-20T00:00:00Z")
        let last = now.addingTimeInterval(-91 * Self.day)
        let plan = RetentionPlan.make(now: now, policies: [:], partitions: Self.migrated,
                                      progress: ["*|webhook_inbox": last, "*|touchpoints": now.addingTimeInterval(-181 * Self.day)])
        let inbox = plan.rowExpiries.first { $0.item == .webhookBodies }!
        #expect(inbox.notBefore == last.addingTimeInterval(-1 * Self.day))
        let touch = plan.rowExpiries.first { $0.item == .touchpoints }!
        #expect(touch.notBefore == now.addingTimeInterval(-189 * Self.day))
        // A run with an earlier clock than the last one's cutoff looks from its own cutoff.
        let earlier = RetentionPlan.make(now: now.addingTimeInterval(-30 * Self.day), policies: [:], partitions: Self.migrated,
                                         progress: ["*|webhook_inbox": last])
        let e = earlier.rowExpiries.first { $0.item == .webhookBodies }!
        #expect(e.notBefore! < e.before)
    }
}

@Suite("retention policy")
struct RetentionPolicyTests {
    @Test("the documented defaults validate for the default attribution window")
    func defaults() {
        let p = RetentionPolicy.default
        #expect((p.webhookBodyDays, p.ledgerPersonalDays, p.touchpointDays, p.deadLetterDays, p.dedupeDays, p.ledgerDays)
                == (90, 30, 180, 30, 30, 395))
        #expect(p.problems(attributionWindowDays: 30).isEmpty)
        #expect(RetentionPolicy.minimumDedupeDays == 14)
    }

    @Test("refused: dedupe shorter than what dedupe needs, ledger shorter than dedupe, touchpoints shorter than the window, out of range")
    func refusals() {
        var p = RetentionPolicy.default
        p.dedupeDays = 7
        #expect(p.problems(attributionWindowDays: 30).map(\.field) == [.dedupeDays])
        #expect(p.problems(attributionWindowDays: 30).first!.message.contains("at least 14 days"))
        p = .default
        p.ledgerDays = 20
        #expect(p.problems(attributionWindowDays: 30).map(\.field) == [.ledgerDays])
        p = .default
        p.touchpointDays = 60
        #expect(p.problems(attributionWindowDays: 90).map(\.field) == [.touchpointDays])
        #expect(p.problems(attributionWindowDays: 60).isEmpty)
        p = .default
        p.webhookBodyDays = 0
        p.deadLetterDays = 4000
        #expect(p.problems(attributionWindowDays: 30).map(\.field) == [.webhookBodyDays, .deadLetterDays])
    }

    @Test("stored as the explicit overrides only; read back with defaults for the rest; garbage is not a policy")
    func storage() {
        let json = RetentionPolicy.storedJSON([.touchpointDays: 60, .webhookBodyDays: 15])
        #expect(json == #"{"webhook_body_days":15,"touchpoint_days":60}"#)
        var expected = RetentionPolicy.default
        expected.webhookBodyDays = 15
        expected.touchpointDays = 60
        #expect(RetentionPolicy.fromStored(json) == expected)
        #expect(RetentionPolicy.fromStored("{}") == .default)
        #expect(RetentionPolicy.fromStored(#"{"touchpoint_days":"60"}"#) == nil)
        #expect(RetentionPolicy.fromStored(#"{"forever":1}"#) == nil)
        #expect(RetentionPolicy.fromStored("[]") == nil)
    }
}
